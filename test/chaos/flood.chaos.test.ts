// A flood of 100,000 messages from the server: the client survives, counts every one in
// order, and its heap returns to baseline afterwards. The client runs in a child Node with
// --expose-gc, so heap is measured after real garbage collections.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { chaosSuite } from '../support/chaos-suite';
import { startTestServer } from '../support/ws-server';

const CLIENT = fileURLToPath(new URL('../support/flood-client.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const COUNT = 100_000;
const { report, cleanup } = chaosSuite(import.meta.url);

interface FloodResult {
  raw: number;
  ticks: number;
  inOrder: boolean;
  baseline: number;
  peak: number;
  after: number;
  ms: number;
  status: string;
}

function runClient(url: string): Promise<FloodResult> {
  const child = spawn(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', CLIENT, url, String(COUNT)],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  cleanup.push(async () => {
    child.kill('SIGKILL');
    await exited;
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  child.stderr.on('data', (chunk) => (err += chunk));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => {
      try {
        if (code !== 0) throw new Error(`flood client exited with ${code}: ${err}`);
        resolve(JSON.parse(out.trim().split('\n').at(-1)!));
      } catch (error) {
        reject(error);
      }
    });
  });
}

describe('server flood', () => {
  it('receives 100,000 messages in order without crashing, and the heap returns to baseline', async () => {
    let floods = 0;
    const server = await startTestServer({
      onConnection: (ws) => {
        ws.on('message', (raw) => {
          const { type, data } = JSON.parse(raw.toString());
          if (type !== 'flood') return;
          floods++;
          for (let n = 1; n <= data.count; n++) ws.send(`{"type":"tick","data":{"n":${n}}}`);
        });
      },
    });
    cleanup.push(() => server.close());
    const result = await runClient(server.url('/'));
    const mb = (bytes: number) => (bytes / 1048576).toFixed(1);
    report.add({
      scenario: 'server flood (100,000 frames)',
      faults: '1 flood',
      sent: COUNT,
      received: result.ticks,
      lost: COUNT - result.ticks,
      duplicated: result.raw - result.ticks,
      notes: `${result.ms} ms; heap ${mb(result.baseline)} → peak ${mb(result.peak)} → ${mb(result.after)} MB after GC`,
    });
    expect(floods).toBe(1);
    expect(result.status).toBe('open');
    expect(result.raw).toBe(COUNT);
    expect(result.ticks).toBe(COUNT);
    expect(result.inOrder).toBe(true);
    // Nothing retained per message: 100,000 leaked frames would be several MB.
    expect(result.after - result.baseline).toBeLessThan(2 * 1024 * 1024);
  });
});
