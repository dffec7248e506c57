// One node of a @lifeline/server fleet on Redis (the built packages/server/dist, redisStore), in
// a child process so that a chaos test can SIGKILL it or restart it gracefully (see fleet.ts).
// Plain JS importing the build on purpose: a warm spare must be ready in milliseconds.
//
// IPC with the parent: {ready} once loaded; then {cmd:'listen', port, redisUrl, keyPrefix,
// claimTtl} → {listening: port} once the store is connected and subscribed. After that:
//   {cmd:'publish', ref, stream, type, data} → {published: {ref, epoch, seq}} or {failed: {ref, message}}
//   {cmd:'stop'} → graceful: close() (clients get 1012), running requests store their replies, exit 0.
// The request handler `work` counts its runs in Redis (<keyPrefix>runs, field n) and records
// which pid ran it (<keyPrefix>runners:<n>, a list), then answers { n } after `ms`.
import { createRequire } from 'node:module';
import { createServer } from '../../packages/server/dist/index.mjs';
import { redisStore } from '../../packages/server/dist/redis.mjs';

// ioredis is the server package's (dev) dependency, not the repo root's.
const { Redis } = createRequire(new URL('../../packages/server/package.json', import.meta.url))(
  'ioredis',
);

let server;
let store;
let counter;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function listen({ port, redisUrl, keyPrefix, claimTtl }) {
  store = redisStore({ url: redisUrl, keyPrefix, claimTtl });
  counter = new Redis(redisUrl);
  counter.on('error', () => {});
  await store.ready();
  // allowOrigins '*': the test's Chromium page comes from another loopback port than nginx's.
  server = createServer({
    port,
    host: '127.0.0.1',
    store,
    closeTimeout: 2000,
    allowOrigins: ['*'],
  });
  // A failing client or Redis must not take the process down: that would be a fault of its own.
  server.on('error', (error) => {
    if (error?.code !== 'ERR_STORE_UNAVAILABLE')
      process.stderr.write(`fleet-node: ${error?.stack ?? error}\n`);
  });
  server.handle('work', async (data) => {
    const { n, ms } = data;
    await counter
      .multi()
      .hincrby(`${keyPrefix}runs`, String(n), 1)
      .rpush(`${keyPrefix}runners:${n}`, String(process.pid))
      .exec();
    await sleep(ms);
    return { n };
  });
  await server.ready();
  process.send({ listening: server.port });
}

async function publish({ ref, stream, type, data }) {
  try {
    const { epoch, seq } = await server.publish(stream, type, data);
    process.send({ published: { ref, epoch, seq } });
  } catch (error) {
    process.send({ failed: { ref, message: String(error?.message ?? error) } });
  }
}

async function stop() {
  await server?.close();
  await store?.close();
  counter?.disconnect();
  process.exit(0);
}

process.on('message', (message) => {
  if (message?.cmd === 'listen') void listen(message);
  else if (message?.cmd === 'publish' && server) void publish(message);
  else if (message?.cmd === 'stop') void stop();
});
// Orphaned (parent gone): exit rather than linger.
process.on('disconnect', () => process.exit(0));
process.send({ ready: true });
