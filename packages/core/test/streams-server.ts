// A minimal server side of the stream protocol (DESIGN §8) on a real `ws` server, for the
// streams integration test: per-stream logs with an epoch and a replay window, subscribe
// replies with the head, replay after `since`, replace on re-subscribe, live fan-out, and
// hooks to inject faults (duplicates, gaps, cuts). Requests get a reply from `handle`.
import type { WebSocket } from 'ws';
import { startTestServer, type TestServer } from '../../../test/support/ws-server';

export interface Frame {
  type: string;
  id?: string;
  re?: string;
  data?: unknown;
}
interface Message {
  type: string;
  stream: string;
  epoch: string;
  seq: string;
  data: unknown;
}
interface Log {
  epoch: string;
  messages: Message[];
  /** Messages at or below this seq were forgotten (the replay window). */
  forgotten: number;
}

let epochs = 0;

export interface StreamServer {
  readonly server: TestServer;
  url(): string;
  /** Every frame received, with the number of the connection it came on (1-based). */
  readonly frames: Array<{ connection: number; frame: Frame }>;
  /** Number of connections accepted so far. */
  readonly connections: number;
  /** Appends to `stream` and sends to its subscribers unless `withhold` (a gap). */
  publish(stream: string, data: unknown, options?: { withhold?: boolean; type?: string }): Message;
  /** Sends `message` again, as is, to every subscriber of its stream (a duplicate). */
  resend(message: Message): void;
  /** Sends a raw frame to every client. */
  broadcast(frame: unknown): void;
  /** The stream's history restarts: a new epoch, seq from 1. */
  restartHistory(stream: string): void;
  /** Forgets every message of `stream` so far (a resume from before now is not recovered). */
  forget(stream: string): void;
  head(stream: string): { epoch: string; seq: string };
  /** Runs before the server answers a frame; return false to swallow it. */
  onFrame?: (frame: Frame, ws: WebSocket) => boolean | undefined;
  /** Runs right after a subscribe reply went out (before the replay). */
  afterReply?: (ws: WebSocket) => void;
  /** Answers requests (default: echo the data). */
  handle?: (frame: Frame) => unknown;
  close(): Promise<void>;
}

export async function startStreamServer(): Promise<StreamServer> {
  const logs = new Map<string, Log>();
  const subscribers = new Map<WebSocket, Set<string>>();
  const frames: Array<{ connection: number; frame: Frame }> = [];
  let connections = 0;

  const log = (stream: string): Log => {
    let found = logs.get(stream);
    if (!found) {
      found = { epoch: `e${++epochs}`, messages: [], forgotten: 0 };
      logs.set(stream, found);
    }
    return found;
  };
  const send = (ws: WebSocket, frame: unknown) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
  };
  const toSubscribers = (message: Message) => {
    for (const [ws, streams] of subscribers) if (streams.has(message.stream)) send(ws, message);
  };

  function subscribe(ws: WebSocket, frame: Frame): void {
    const { stream, since } = frame.data as {
      stream: string;
      since?: { epoch: string; seq: string };
    };
    if (stream.startsWith('secret')) {
      send(ws, { type: 'subscribe', re: frame.id, error: { message: 'no', code: 'FORBIDDEN' } });
      return;
    }
    const { epoch, messages, forgotten } = log(stream);
    const head = messages.length;
    const from = since ? Number(since.seq) : head;
    const recovered = !since || (since.epoch === epoch && from >= forgotten && from <= head);
    // Replaces any subscription of this connection to the stream.
    subscribers.get(ws)!.add(stream);
    send(ws, { type: 'subscribe', re: frame.id, data: { epoch, seq: String(head), recovered } });
    api.afterReply?.(ws);
    if (recovered) for (const message of messages.slice(from)) send(ws, message);
  }

  const server = await startTestServer({
    onConnection: (ws) => {
      const connection = ++connections;
      subscribers.set(ws, new Set());
      ws.on('close', () => subscribers.delete(ws));
      ws.on('message', (raw) => {
        const frame = JSON.parse(String(raw)) as Frame;
        frames.push({ connection, frame });
        if (api.onFrame?.(frame, ws) === false) return;
        if (frame.type === 'subscribe') subscribe(ws, frame);
        else if (frame.type === 'unsubscribe')
          subscribers.get(ws)?.delete((frame.data as { stream: string }).stream);
        else if (frame.id !== undefined)
          send(ws, {
            type: frame.type,
            re: frame.id,
            data: (api.handle ?? ((f) => f.data))(frame),
          });
      });
    },
  });

  const api: StreamServer = {
    server,
    url: () => server.url(),
    frames,
    get connections() {
      return connections;
    },
    publish(stream, data, options = {}) {
      const target = log(stream);
      const message: Message = {
        type: options.type ?? 'chat',
        stream,
        epoch: target.epoch,
        seq: String(target.messages.length + 1),
        data,
      };
      target.messages.push(message);
      if (!options.withhold) toSubscribers(message);
      return message;
    },
    resend: toSubscribers,
    broadcast(frame) {
      for (const ws of subscribers.keys()) send(ws, frame);
    },
    restartHistory(stream) {
      logs.delete(stream);
      log(stream);
    },
    forget(stream) {
      const target = log(stream);
      target.forgotten = target.messages.length;
    },
    head(stream) {
      const { epoch, messages } = log(stream);
      return { epoch, seq: String(messages.length) };
    },
    close: () => server.close(),
  };
  return api;
}
