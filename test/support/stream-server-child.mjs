// A @lifeline/server (the built packages/server/dist, default memoryStore) in a child process,
// so a chaos test can SIGKILL it and lose the store with it (see stream-server.ts; named apart so that imports of './stream-server' find the .ts). Plain JS
// importing the build on purpose: a warm spare must be ready in milliseconds.
//
// IPC with the parent: the child says {ready} once loaded, then waits for {cmd:'listen', port}
// and answers {listening: port}. After that, {cmd:'publish', ref, stream, type, data} appends
// to the stream and answers {published: {ref, epoch, seq}} once the message went to the
// subscribers, so the parent knows exactly which positions this process handed out.
import { createServer } from '../../packages/server/dist/index.mjs';

let server;

async function listen(port) {
  server = createServer({ port, host: '127.0.0.1' });
  // A failing client must not take the process down: that would be a fault of its own.
  server.on('error', (error) => process.stderr.write(`stream-server: ${error?.stack ?? error}\n`));
  await server.ready();
  process.send({ listening: server.port });
}

async function publish({ ref, stream, type, data }) {
  const { epoch, seq } = await server.publish(stream, type, data);
  process.send({ published: { ref, epoch, seq } });
}

process.on('message', (message) => {
  if (message?.cmd === 'listen') void listen(message.port);
  else if (message?.cmd === 'publish' && server) void publish(message);
});
// Orphaned (parent gone): exit rather than linger.
process.on('disconnect', () => process.exit(0));
process.send({ ready: true });
