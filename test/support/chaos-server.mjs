// A `ws` server meant to run as a child process so chaos tests can SIGKILL, SIGSTOP and
// SIGCONT a real server (see child-server.ts). Plain JS on purpose: a warm spare must start
// fast, and tsx adds seconds of startup on a loaded machine.
//
// Protocol with the parent (IPC): the child says {ready} once loaded, then waits for
// {cmd:'listen', port, journal, requestLog, replyDelayMs, replyDelayMaxMs} and answers
// {listening: port}.
//
// Every text frame is appended to the journal file *before* it is acted on, so what the
// journal holds is exactly what this server processed, even across SIGKILL. Request ids are
// deduplicated against the journal: a duplicate is answered again but processed once.
// The request log says which process and connection got each request id and which it
// answered (`<pid> <connection> request|reply <id>`), so a test can tell what was in flight
// when a process died, and whether it came back on a later connection.
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';

function seenRequestIds(journal) {
  const ids = new Set();
  if (!existsSync(journal)) return ids;
  for (const line of readFileSync(journal, 'utf8').split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const envelope = JSON.parse(line);
      if (typeof envelope.id === 'string') ids.add(envelope.id);
    } catch {
      // not an envelope: plain text frames are journalled too
    }
  }
  return ids;
}

function listen({ port, journal, requestLog, replyDelayMs = 0, replyDelayMaxMs = replyDelayMs }) {
  const seen = seenRequestIds(journal);
  const log = (connection, what, id) => {
    if (requestLog) appendFileSync(requestLog, `${process.pid} ${connection} ${what} ${id}\n`);
  };
  let connections = 0;
  const http = createServer((_req, res) => res.writeHead(426).end('WebSocket only'));
  const wss = new WebSocketServer({ server: http });
  wss.on('connection', (socket) => {
    const connection = ++connections;
    socket.on('message', (raw, isBinary) => {
      if (isBinary) return;
      const text = raw.toString();
      appendFileSync(journal, `${text}\n`);
      let envelope;
      try {
        envelope = JSON.parse(text);
      } catch {
        return;
      }
      if (envelope?.type === 'ping') return socket.send('{"type":"pong"}');
      if (typeof envelope?.id !== 'string') return;
      seen.add(envelope.id);
      log(connection, 'request', envelope.id);
      const reply = JSON.stringify({ type: envelope.type, re: envelope.id, data: envelope.data });
      const send = () => {
        if (socket.readyState !== 1) return;
        log(connection, 'reply', envelope.id);
        socket.send(reply);
      };
      const delay = replyDelayMs + Math.random() * (replyDelayMaxMs - replyDelayMs);
      if (delay > 0) setTimeout(send, delay);
      else send();
    });
  });
  http.listen(port, '127.0.0.1', () => process.send({ listening: http.address().port }));
}

process.on('message', (message) => {
  if (message?.cmd === 'listen') listen(message);
});
// Orphaned (parent gone): exit rather than linger.
process.on('disconnect', () => process.exit(0));
process.send({ ready: true });
