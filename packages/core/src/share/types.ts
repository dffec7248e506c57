// The shapes around a sharing session (session.ts): what it needs from the browser and what
// it offers its socket.
import type { WebSocketConstructor } from '../options';
import type { Role } from '../types';

/** The part of `navigator.locks` a session uses. */
export interface LockManagerLike {
  request(
    name: string,
    options: { steal?: boolean; signal?: AbortSignal },
    callback: () => Promise<void> | undefined,
  ): Promise<unknown>;
  query(): Promise<{ held: Array<{ name?: string }>; pending: Array<{ name?: string }> }>;
}

/** What the session tells its socket. */
export interface ShareHost {
  /** A leader appeared: a reconnect waiting out its backoff can go now. */
  online(): void;
  /** This tab's role changed. */
  role(role: Role): void;
}

/** The sharing part of one socket. */
export interface ShareSession {
  readonly role: Role;
  /** The transport constructor the socket connects with. */
  readonly WebSocket: WebSocketConstructor;
  /** Joins the origin's sockets of this name. */
  start(host: ShareHost): void;
  /** Leaves for good (the socket was disposed). */
  dispose(): void;
  /** Tab messages ignored: malformed, or of another version. */
  _ignored: number;
}
