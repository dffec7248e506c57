// Opening and letting go of the native WebSocket of one attempt. The lifecycle decides when;
// this file knows how a transport is wired up and safely abandoned.
import type { NativeConstructor } from './options';

/** `WebSocket.OPEN`, without touching the global (Node has none before v22). */
export const WS_OPEN = 1;

/** Receives every event of the current transport (one function per socket, not four per attempt). */
export type TransportListener = (event: Event) => void;

const ignore = () => {};

/** Makes the native socket of one attempt and routes its four events to `listener`. */
export function openTransport(
  WS: NativeConstructor,
  url: string,
  protocols: string | string[] | undefined,
  binaryType: BinaryType,
  listener: TransportListener,
): WebSocket {
  const ws = protocols === undefined ? new WS(url) : new WS(url, protocols);
  ws.binaryType = binaryType;
  ws.onopen = ws.onmessage = ws.onerror = ws.onclose = listener;
  return ws;
}

/** Detaches `ws` from its socket and, when `close`, closes it with `code` and `reason`. */
export function releaseTransport(ws: WebSocket, close: boolean, code = 1000, reason = ''): void {
  const letGo = () => {
    ws.onerror = ws.onclose = null;
  };
  ws.onopen = ws.onmessage = null;
  if (ws.readyState === 3) letGo();
  else {
    // Until it has really closed, an abandoned transport keeps a no-op `error` handler:
    // Node's `ws` emits `error` when closed while connecting, and an EventEmitter `error`
    // without a listener would crash the process. Once closed, it lets go of both.
    ws.onerror = ignore;
    ws.onclose = letGo;
  }
  if (close && ws.readyState < 2) {
    try {
      ws.close(code, reason);
    } catch {
      ws.close(); // some transports reject application codes while connecting
    }
  }
}
