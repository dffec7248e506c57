// The uniform face every benchmarked library is driven through, so the harness never needs to
// know a peer's API. Adapters run inside the Chromium page.

/** Callbacks an adapter wires to its library's events. */
export interface ClientHandlers {
  /** Each time the library reports an open connection (first connect and every reconnect). */
  open(): void;
  /** Each message the library hands to the application, with its raw `data`. */
  message(data: unknown): void;
}

/** One open-or-reconnecting client of some library. */
export interface BenchClient {
  send(data: string | ArrayBuffer): void;
  /** Closes for good: no reconnect afterwards. */
  close(): void;
}

/** What the harness needs from a library. */
export interface LibAdapter {
  /** Display name, also the key in results. */
  readonly name: string;
  /**
   * Opens a client with the library's defaults. `Transport` replaces the native `WebSocket`
   * (through a constructor option where the library has one, else by swapping the global).
   */
  create(url: string, on: ClientHandlers, Transport?: typeof WebSocket): BenchClient;
}

/** The native `WebSocket` surface some libraries copy (native itself, partysocket, rws). */
interface WebSocketLike {
  binaryType: BinaryType;
  onopen: ((event: Event) => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
  send(data: string | ArrayBuffer): void;
  close(): void;
}

/** Drives a library that exposes the native surface: binary as ArrayBuffer, handler props. */
export function driveWebSocketLike(ws: WebSocketLike, on: ClientHandlers): BenchClient {
  ws.binaryType = 'arraybuffer';
  ws.onopen = () => on.open();
  ws.onmessage = (event) => on.message(event.data);
  return {
    send: (data) => ws.send(data),
    close: () => ws.close(),
  };
}

/** Binary frames are compared as ArrayBuffers everywhere (Blob reads would dominate). */
export function preferArrayBuffer(event: Event): void {
  const target = event.target as { binaryType?: BinaryType } | null;
  if (target && 'binaryType' in target) target.binaryType = 'arraybuffer';
}

/**
 * Runs `build` with `globalThis.WebSocket` replaced, for libraries that only ever read the
 * global. Restores it afterwards, so later reconnects would use the real one again.
 */
export function withGlobalWebSocket<T>(Transport: typeof WebSocket | undefined, build: () => T): T {
  if (!Transport) return build();
  const original = globalThis.WebSocket;
  globalThis.WebSocket = Transport;
  try {
    return build();
  } finally {
    globalThis.WebSocket = original;
  }
}
