// The handshake page's worked example must be right: recompute Sec-WebSocket-Accept from the
// key on the page with node:crypto, and ask a real `ws` server for the same key.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { createRequire } from 'node:module';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { startTestServer } from '../../test/support/ws-server';
import { codeBlocks } from './samples';

const page = readFileSync(new URL('../concepts/handshake.md', import.meta.url), 'utf8');
const header = (name: string) => {
  const match = page.match(new RegExp(`^${name}: (\\S+)$`, 'm'));
  if (!match?.[1]) throw new Error(`handshake.md has no "${name}:" header line`);
  return match[1];
};
const key = header('Sec-WebSocket-Key');
const accept = header('Sec-WebSocket-Accept');
// RFC 6455 §1.3; written out here on purpose, not imported from the example under test.
const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

describe('handshake page', () => {
  it('shows an accept value that is base64(SHA-1(key + GUID)) of its key', () => {
    const sha1 = createHash('sha1')
      .update(key + GUID)
      .digest();
    expect(sha1.toString('base64')).toBe(accept);
    expect(page).toContain(GUID);
    // The worked-example table spells out the intermediate steps too.
    expect(page).toContain(`\`${key}${GUID}\``);
    expect(page).toContain(`\`${sha1.toString('hex')}\``);
  });

  it('shows a helper that computes the same value', () => {
    const { acceptFor, WEBSOCKET_GUID } = runSample('function acceptFor');
    expect(WEBSOCKET_GUID).toBe(GUID);
    expect(acceptFor(key)).toBe(accept);
  });

  it('matches what a real ws server answers for that key', async () => {
    const server = await startTestServer();
    try {
      const response = await new Promise<import('node:http').IncomingMessage>((resolve, reject) => {
        const req = request({
          host: '127.0.0.1',
          port: server.port,
          path: '/',
          headers: {
            Connection: 'Upgrade',
            Upgrade: 'websocket',
            'Sec-WebSocket-Version': '13',
            'Sec-WebSocket-Key': key,
          },
        });
        req.on('upgrade', (res, socket) => {
          socket.destroy();
          resolve(res);
        });
        req.on('response', (res) => reject(new Error(`expected 101, got ${res.statusCode}`)));
        req.on('error', reject);
        req.end();
      });
      expect(response.statusCode).toBe(101);
      expect(response.headers['sec-websocket-accept']).toBe(accept);
    } finally {
      await server.close();
    }
  });
});

/** Runs the page's code block that contains `text` (compiled as CommonJS) and returns its exports. */
function runSample(text: string) {
  const block = codeBlocks({ path: 'concepts/handshake.md', text: page }).find((b) =>
    b.code.includes(text),
  );
  if (!block) throw new Error(`handshake.md has no code block with "${text}"`);
  const { outputText } = ts.transpileModule(block.code, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  });
  const exports: Record<string, unknown> = {};
  new Function('exports', 'require', outputText)(exports, createRequire(import.meta.url));
  return exports as { acceptFor: (key: string) => string; WEBSOCKET_GUID: string };
}
