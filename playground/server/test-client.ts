// Test helper: `ws` clients that record every message, expose the key they sent, and wait for
// a matching message. Reusable by any test of the dev server (and a future @lifeline/testing).
import type { IncomingMessage } from 'node:http';
import WS from 'ws';

/** A `ws` client that records what it receives. */
export interface TestClient {
  ws: WS;
  response: IncomingMessage;
  /** The Sec-WebSocket-Key this client sent. */
  key: string;
  messages: string[];
  /** Resolves with the first message (from `from` on) that matches. */
  next(match: (text: string) => boolean, timeoutMs?: number, from?: number): Promise<string>;
  closed: Promise<{ code: number; reason: string }>;
}

/** Opens recording clients; `terminateAll()` kills every one opened so far. */
export function createTestClients() {
  const sockets = new Set<WS>();
  const connect = (
    url: string,
    protocols: string[] = [],
    origin?: string,
    headers?: Record<string, string>,
  ): Promise<TestClient> =>
    new Promise((resolve, reject) => {
      let key = '';
      const ws = new WS(url, protocols, {
        ...(origin ? { origin } : {}),
        ...(headers ? { headers } : {}),
        finishRequest: (request) => {
          key = String(request.getHeader('sec-websocket-key'));
          request.end();
        },
      });
      sockets.add(ws);
      const messages: string[] = [];
      const waiters = new Set<() => void>();
      ws.on('message', (data) => {
        messages.push(data.toString());
        for (const wake of [...waiters]) wake();
      });
      const closed = new Promise<{ code: number; reason: string }>((done) =>
        ws.on('close', (code, reason) => done({ code, reason: reason.toString() })),
      );
      const next: TestClient['next'] = (match, timeoutMs = 3000, from = 0) =>
        new Promise((found, fail) => {
          const check = () => {
            const hit = messages.slice(from).find(match);
            if (hit === undefined) return;
            waiters.delete(check);
            clearTimeout(timer);
            found(hit);
          };
          const timer = setTimeout(() => {
            waiters.delete(check);
            fail(
              new Error(`no matching message in ${timeoutMs} ms; got ${JSON.stringify(messages)}`),
            );
          }, timeoutMs);
          waiters.add(check);
          check();
        });
      let response: IncomingMessage | undefined;
      ws.on('upgrade', (res) => {
        response = res;
      });
      ws.on('open', () => resolve({ ws, response: response!, key, messages, next, closed }));
      ws.on('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      ws.on('error', reject);
    });

  return {
    connect,
    terminateAll() {
      for (const ws of sockets) ws.terminate();
      sockets.clear();
    },
  };
}
