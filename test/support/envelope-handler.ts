// A connection handler for startTestServer that speaks Lifeline's envelopes: `ping` → `pong`,
// requests answered with their own data (optionally late, to keep them in flight across a
// fault), everything else silently recorded (the server records every text frame).
import type { WebSocket } from 'ws';

export interface EnvelopeHandlerOptions {
  /** Delay before replying to a request, ms. */
  replyDelayMs?: number;
  /** The `data` of the reply to a request; by default the request's own `data`. */
  reply?: (request: { type?: unknown; id: string; data?: unknown }) => unknown;
}

/** `onConnection` for startTestServer. */
export function envelopeHandler(options: EnvelopeHandlerOptions = {}) {
  return (socket: WebSocket): void => {
    socket.on('message', (raw, isBinary) => {
      if (isBinary) return;
      let envelope: { type?: unknown; id?: unknown; data?: unknown };
      try {
        envelope = JSON.parse(raw.toString());
      } catch {
        return;
      }
      if (envelope?.type === 'ping') return socket.send('{"type":"pong"}');
      if (typeof envelope?.id !== 'string') return;
      const { id } = envelope;
      const data = options.reply ? options.reply({ ...envelope, id }) : envelope.data;
      const reply = JSON.stringify({ type: envelope.type, re: id, data });
      const send = () => socket.readyState === 1 && socket.send(reply);
      if (options.replyDelayMs) setTimeout(send, options.replyDelayMs);
      else send();
    });
  };
}
