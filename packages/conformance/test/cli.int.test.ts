// The bin end to end: `node cli.ts <url>` (through tsx, so no build is needed) prints the
// table and sets the exit code; and the programmatic API refuses bad input clearly.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConformance } from '../src/index';
import { fixtureServer, type Running, silentServer } from './servers';

const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));

/** Runs the CLI with `args`; resolves with its exit code and output. */
function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', cli, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let good: Running;
let silent: Running;
beforeAll(async () => {
  good = await fixtureServer(8192);
  silent = await silentServer();
});
afterAll(async () => {
  await good.stop();
  await silent.stop();
});

describe('lifeline-conformance CLI', () => {
  it('prints a passing table and exits 0 against @lifeline/server', async () => {
    const { code, stdout } = await run([good.url, '--max-payload', '8192']);
    expect(stdout).toContain(`Lifeline conformance: ${good.url}`);
    expect(stdout).toMatch(/^PASS {4}limits\.oversize /m);
    expect(stdout).toMatch(/20 checks: 20 passed, 0 failed \(0 required\), 0 not tested/);
    expect(stdout).toContain('CONFORMANT');
    expect(code).toBe(0);
  });

  it('exits 1 and shows why when a required check fails', async () => {
    const { code, stdout } = await run([silent.url, '--only', 'ping,limits', '--timeout', '200']);
    expect(stdout).toMatch(/^FAIL {4}ping\.pong /m);
    expect(stdout).toContain('└ timed out after 200 ms waiting for {"type":"pong"}');
    expect(stdout).toMatch(/^SKIP {4}limits\.oversize /m);
    expect(stdout).toContain('NOT CONFORMANT');
    expect(code).toBe(1);
  });

  it('prints JSON with --json', async () => {
    const { code, stdout } = await run([good.url, '--only', 'request.reply', '--json']);
    expect(JSON.parse(stdout)).toMatchObject({
      url: good.url,
      ok: true,
      results: [{ id: 'request.reply', status: 'pass', required: true }],
    });
    expect(code).toBe(0);
  });

  it('exits 2 with the usage on bad arguments', async () => {
    for (const args of [
      [],
      ['http://x'],
      [good.url, '--timeout', 'soon'],
      [good.url, '--only', 'nope'],
      [good.url, '--what'],
    ]) {
      const { code, stderr } = await run(args);
      expect(code, args.join(' ')).toBe(2);
      expect(stderr).toContain('Usage: lifeline-conformance');
    }
  });
});

describe('runConformance', () => {
  it('rejects a bad URL, option or check name with a TypeError naming it', async () => {
    await expect(runConformance('http://127.0.0.1/ws')).rejects.toThrow(/ws:\/\/ or wss:\/\//);
    await expect(runConformance(good.url, { timeout: 0 })).rejects.toThrow(/timeout/);
    await expect(runConformance(good.url, { maxPayload: -1 })).rejects.toThrow(/maxPayload/);
    await expect(runConformance(good.url, { only: ['pign'] })).rejects.toThrow(/"pign"/);
  });

  it('fails every check with the reason when nothing listens at the URL', async () => {
    const report = await runConformance('ws://127.0.0.1:1/ws', { only: ['ping.pong'] });
    expect(report.ok).toBe(false);
    expect(report.results[0]?.detail).toMatch(/^could not connect to ws:\/\/127\.0\.0\.1:1\/ws/);
  });
});
