// One sharing socket's part in its origin (DESIGN §11): the BroadcastChannel to the other
// tabs, the election, the hub while this tab leads, and the socket's transports. It follows
// the newest term it hears: transports of an older leader close (the socket reconnects at
// once, through the new one) and a hub of an older term steps down. It leaves on `pagehide`
// (another tab takes over within a second; the back/forward cache can keep the page) and
// rejoins on `pageshow`. A transport has a WebSocket's shape (what connector.ts makes per
// attempt) but its frames travel through the leader tab's hub; it opens and closes with the
// hub's real connection, so the socket's own queue, request resend, subscriptions and
// backoff do the rest exactly as without sharing.
import { now } from '../clock';
import { DEV } from '../dev';
import type { NativeConstructor, WebSocketConstructor, WebSocketLike } from '../options';
import type { UrlInput } from '../url';
import { BEACON_MS, createHub, type Hub } from './hub';
import { shareName } from './options';
import { isShareMessage, SHARE_VERSION, type ShareMessage, toHub } from './protocol';
import { tabsAlive } from './tab-lock';
import type { LockManagerLike, ShareHost, ShareSession } from './types';

type Handler = ((event: never) => void) | null;

/**
 * The sharing part for a socket made with `options`, or `undefined` when it does not share:
 * `share` is off, or this browser has no Web Locks or BroadcastChannel (`role: 'solo'`).
 * @throws LifelineError `ERR_INVALID_OPTION` (see `shareName`)
 */
export function shareSession(
  url: UrlInput,
  options: { share?: unknown; WebSocket?: WebSocketConstructor },
): ShareSession | undefined {
  const name = shareName(url, options.share);
  // Browser globals are read only when sharing is asked for (server-side rendering reads none).
  if (name === undefined) return undefined;
  const locks = globalThis.navigator?.locks as LockManagerLike | undefined;
  if (!locks || !globalThis.BroadcastChannel) return undefined;
  const WS = (options.WebSocket ?? globalThis.WebSocket) as NativeConstructor;
  const key = `lifeline:${name}`;
  // This tab's lock `<key>:tab:<id>`, held while it takes part: see tab-lock.ts.
  const tabId = Math.random().toString(36).slice(2);
  let freeTab: (() => void) | undefined;
  let count = 0;
  // A leader silent 2 beacons is asked for one; silent 3 (plus up to 0.5 s), replaced. (Not
  // module constants: a bundle of the smaller entry would keep them.)
  const patience = 3 * BEACON_MS + Math.random() * 500;
  /** This tab's transports, by id. */
  const transports = new Map<string, TabTransport>();
  /** The newest term heard. */
  let term = 0;
  let heard = 0;
  let channel: BroadcastChannel | undefined;
  let hub: Hub | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;
  let host: ShareHost | undefined;

  /** One connection attempt of the socket (a class: the socket calls it with `new`). */
  class TabTransport implements WebSocketLike {
    readyState = 0;
    // The socket sets `binaryType` and the handlers right after `new`, before anything can
    // fire; it reads `protocol`, `extensions` and `bufferedAmount` as '' and 0 until set.
    declare protocol: string;
    declare extensions: string;
    declare bufferedAmount: number;
    declare binaryType: string;
    declare onopen: Handler;
    declare onmessage: Handler;
    declare onerror: Handler;
    declare onclose: Handler;
    /** Unique in the origin. */
    readonly _id = `${tabId}.${++count}`;
    /** The term of the hub it attached to; 0 while waiting for a leader. */
    _term = 0;

    constructor(
      readonly _url: string,
      readonly _protocols?: string | string[],
    ) {
      transports.set(this._id, this);
      if (term && channel) attach(this);
    }

    send(d: unknown): void {
      if (this.readyState === 1) post({ k: 'f', n: this._term, t: this._id, d });
    }

    close(code: number, reason: string): void {
      if (this.readyState > 1) return;
      this.readyState = 3;
      detach(this, code, reason);
    }
  }

  /** Calls the transport's `on<type>` handler with an event of that type. */
  const fire = (transport: TabTransport, type: string, fields?: object) =>
    (transport as unknown as Record<string, Handler>)[`on${type}`]?.({ type, ...fields } as never);

  /** The hub's connection closed, or this tab lost its leader. */
  const closed = (
    transport: TabTransport,
    code: number,
    reason: string,
    clean?: boolean,
    error?: boolean,
  ) => {
    transports.delete(transport._id);
    if (transport.readyState > 2) return;
    transport.readyState = 3;
    if (error) fire(transport, 'error');
    fire(transport, 'close', { code, reason, wasClean: !!clean });
  };

  /** The transport closed on this side. */
  const detach = ({ _id: t, _term: n }: TabTransport, c: number, r: string) => {
    transports.delete(t);
    if (n) post({ k: 'c', n, t, c, r });
  };

  const attach = (transport: TabTransport) => {
    transport._term = term;
    post({ k: 'a', n: term, t: transport._id, u: transport._url, s: transport._protocols });
  };

  const resign = () => {
    if (!hub) return;
    hub._stop();
    hub = undefined;
    release?.();
    host?.role('follower');
  };

  // The election: the holder of the Web Lock `lifeline:<name>` leads. Every tab queues for it
  // while its channel is open; the one holding it leads until it resigns (a newer leader),
  // leaves (page hidden, disposed) or has it stolen by a tab that heard nothing from it for
  // too long (a frozen leader). Losing the lock in any of these ways steps down and queues
  // again.
  /** Aborts the request waiting in the queue (aborting one already granted does nothing). */
  let abort: AbortController | undefined;
  /** Releases the lock while leading. */
  let release: (() => void) | undefined;
  /**
   * Asks for the lock: queued behind the holder, or (`steal`) taken from it at once, which
   * leaves the previous holder's request rejected.
   */
  const campaign = (steal?: boolean): void => {
    if (!channel || release) return;
    abort?.abort();
    abort = steal ? undefined : new AbortController();
    let held = false;
    // Released or stolen (rejected): either way this tab no longer leads.
    const end = () => {
      if (!held) return; // a request aborted while queued
      release = undefined;
      resign();
      campaign();
    };
    locks
      .request(key, abort ? { signal: abort.signal } : { steal }, () => {
        if (!channel) return undefined;
        held = true;
        return new Promise<void>((resolve) => {
          release = resolve;
          if (!hub) {
            // Later than every term heard, and than any this origin had (wall clock: it
            // orders leaderships across tabs, even with a tab that never heard the last one).
            hub = createHub(Math.max(term + 1, Date.now()), post, WS, () => tabsAlive(locks, key));
            host?.role('leader');
          }
        });
      })
      .then(end, end);
  };

  /**
   * Posts to the other tabs, and to this one (its hub or its transports) a microtask later.
   * A message only this tab's hub or transports can take does not go to the other tabs.
   */
  const post = (m: ShareMessage): void => {
    if (!channel) return;
    m.v = SHARE_VERSION;
    const local = toHub(m)
      ? m.k !== 'p' && m.n === hub?._term
      : m.to?.every((t) => transports.has(t));
    if (!local) channel.postMessage(m);
    queueMicrotask(() => receive(m));
  };

  const receive = (m: unknown) => {
    if (!channel) return;
    if (!isShareMessage(m)) {
      // Only a development build can read the count (production renames `_` members).
      if (DEV) session._ignored++;
      return;
    }
    const k = m.k;
    const n = m.n as number; // on every message but a probe
    if (toHub(m)) {
      if (k === 'p') hub?._beacon();
      else if (n === hub?._term) hub._receive(m);
      return;
    }
    if (n < term) return; // an older leadership: never acted on
    heard = now();
    if (n > term) {
      // A newer leader: an older hub here steps down; transports move over to the new one.
      term = n;
      if (hub && hub._term < n) resign();
      for (const transport of [...transports.values()]) {
        if (!channel) break; // a close listener ended the session
        if (transport.readyState === 1) closed(transport, 1006, 'leader changed');
        else attach(transport); // still waiting: it asks the new leader instead
      }
      if (channel) host?.online();
    }
    if (k === 'b') return;
    // Without `to`: every transport of the term (a frame reaches the open ones only).
    for (const transport of m.to ? m.to.map((t) => transports.get(t)) : [...transports.values()]) {
      if (transport?._term !== n) continue;
      if (k === 'x') closed(transport, m.c!, m.r!, m.l, m.x);
      else if (k === 'o' && !transport.readyState) {
        transport.readyState = 1;
        transport.protocol = m.p!;
        transport.extensions = m.e!;
        fire(transport, 'open');
      } else if (k === 'm' && transport.readyState === 1) {
        const d = m.d;
        const blob = transport.binaryType === 'blob' && d instanceof ArrayBuffer;
        fire(transport, 'message', { data: blob ? new Blob([d]) : d });
      }
      if (!channel) return; // the socket's listeners disposed it
    }
  };

  /** Every second while following: a silent leader is probed, then replaced. */
  const watch = () => {
    if (hub) return;
    const silent = now() - heard;
    if (silent > patience) {
      heard = now(); // one steal, then wait for it to answer
      campaign(true);
    } else if (silent > 2 * BEACON_MS) post({ k: 'p' });
  };

  const up = () => {
    if (channel) return;
    const mine = new BroadcastChannel(key);
    channel = mine;
    // Asked for before any message of this tab goes out; kept until it leaves.
    locks.request(`${key}:tab:${tabId}`, {}, () =>
      channel === mine ? new Promise<void>((resolve) => (freeTab = resolve)) : undefined,
    );
    channel.onmessage = (event) => receive(event.data);
    if (DEV) channel.onmessageerror = () => session._ignored++;
    heard = now();
    timer = setInterval(watch, BEACON_MS);
    campaign();
    post({ k: 'p' }); // a leader answers at once: no wait for its next beacon
  };

  /** Leaves: the hub steps down, the lock goes, and this tab's transports close. */
  const down = () => {
    if (!channel) return;
    for (const transport of [...transports.values()]) {
      detach(transport, 1001, 'page hidden');
      closed(transport, 1006, 'page hidden');
    }
    resign();
    abort?.abort();
    release?.();
    freeTab?.(); // a later grant for this channel lets go at once (see `up`)
    clearInterval(timer);
    channel.close();
    channel = undefined;
  };

  const session: ShareSession = {
    // The hub exists exactly while this tab leads.
    get role() {
      return hub ? 'leader' : 'follower';
    },
    WebSocket: TabTransport,
    _ignored: 0,
    start(socketHost) {
      host = socketHost;
      addEventListener('pagehide', down);
      addEventListener('pageshow', up);
      up();
    },
    dispose() {
      removeEventListener('pagehide', down);
      removeEventListener('pageshow', up);
      down();
      host = undefined;
    },
  };
  return session;
}
export type { ShareSession } from './types';
