// robust-websocket ships no types; this is the part of its API the adapter uses.
declare module 'robust-websocket' {
  export default class RobustWebSocket extends EventTarget {
    constructor(url: string, protocols?: string | string[], options?: object);
    binaryType: BinaryType;
    send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void;
    close(code?: number, reason?: string): void;
  }
}
