// Child-process client for the flood chaos test: run with `node --expose-gc --import tsx`
// so heap use can be measured after real garbage collections. Connects to argv[2], asks for
// argv[3] messages, counts them, and prints one JSON line with counts and heap sizes.
import { Socket } from '@lifeline/core';
import { WebSocket } from 'ws';

const [url = '', countArg] = process.argv.slice(2);
const expected = Number(countArg);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const heap = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

const socket = new Socket(url, { WebSocket: WebSocket as never, reconnect: false });
let raw = 0;
let ticks = 0;
let inOrder = true;
let peak = 0;
socket.on('message', () => raw++);
socket.onMessage('tick', (data: { n: number }) => {
  if (data.n !== ticks + 1) inOrder = false;
  ticks++;
  if (ticks % 10_000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
});
await new Promise<void>((resolve) => socket.once('open', () => resolve()));
const baseline = heap();
const started = Date.now();
socket.sendJson('flood', { count: expected });
const deadline = Date.now() + 60_000;
while (ticks < expected && Date.now() < deadline && socket.status === 'open')
  await new Promise((resolve) => setTimeout(resolve, 20));
const ms = Date.now() - started;
const after = heap();
const status = socket.status;
socket.dispose();
process.stdout.write(
  `${JSON.stringify({ raw, ticks, inOrder, baseline, peak, after, ms, status })}\n`,
);
process.exit(0);
