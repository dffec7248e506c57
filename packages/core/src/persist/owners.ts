// The instances a leader waits for (persist with share, DESIGN §10, §11). Only the leader takes
// over what gone instances left, and a claim leaves a live owner's records to it (claim.ts), so
// the leader waits on the owner lock of each such instance and claims again once it is free.
// It hears of them two ways: its claims find their records, and every instance says on the
// BroadcastChannel of the name each time it writes a new record. The second covers an
// instance that started after the leader's last claim and goes before its tab links up with
// the leader: its records would otherwise wait for the leader's next connection open.

/** Owner locks to wait for, and this instance's word that it has records. */
export class OwnerWatch {
  /** Ends the waits on owner locks (at close). */
  private readonly _watching = new AbortController();
  private readonly _watched = new Set<string>();
  private readonly _channel: BroadcastChannel | undefined;

  constructor(
    /** `lifeline-persist:<name>`: the claim lock, the channel and every owner lock's prefix. */
    lock: string,
    /** Whether this tab leads now: only a leader waits (a follower never takes them). */
    leads: () => boolean,
    /** An owner waited for is gone: claim again. */
    private readonly _gone: () => void,
  ) {
    if (typeof BroadcastChannel !== 'function') return; // the claims still find them
    const channel = new BroadcastChannel(lock);
    channel.onmessage = ({ data }: MessageEvent) => {
      // Any page of the origin can post here: only an owner lock of this name is waited on.
      if (typeof data === 'string' && data.startsWith(`${lock}:`) && leads()) this._watch(data);
    };
    this._channel = channel;
  }

  /** Tells the leader that the instance holding owner lock `ownLock` wrote a record. */
  _wrote(ownLock: string): void {
    this._channel?.postMessage(ownLock);
  }

  /**
   * Waits for the owner lock `name` to be free (its instance gone; one wait per lock), then
   * calls `gone`. The grant is released at once, and the request settles only after that, so
   * the claim that follows finds it free. `_close` ends every wait (aborted: ignored).
   */
  _watch(name: string): void {
    const watched = this._watched;
    if (watched.has(name)) return;
    watched.add(name);
    navigator.locks
      .request(name, { signal: this._watching.signal }, () => {})
      .then(
        () => {
          watched.delete(name);
          this._gone();
        },
        () => {},
      );
  }

  _close(): void {
    this._watching.abort();
    this._channel?.close();
  }
}
