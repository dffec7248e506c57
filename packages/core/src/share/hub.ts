// The leader tab's hub: it owns the one real WebSocket and multiplexes the tabs' transports
// onto it. Frames from tabs go out as they are, except stream control: subscriptions are
// counted per stream, so the server hears `unsubscribe` only when the last tab leaves. Frames
// from the server go back by what they are: a reply to the transport that sent its request
// id, a stream message to the transports subscribed to its stream, anything else to all.
// A tab's own socket keeps everything else (queue, request resend, positions, backoff): when
// the real connection drops, every transport closes like a socket would, and each tab's
// socket reconnects through whichever hub leads then.
import { decodeEnvelope, encodeEnvelope } from '../envelope';
import type { NativeConstructor } from '../options';
import { compareSeq } from '../seq';
import { openTransport, releaseTransport } from '../transport';
import type { ShareMessage } from './protocol';

type Position = { epoch: string; seq: string };

const ignore = () => {};

/** How long a hub stays silent at most: followers steal the lock after 3 s without a word. */
export const BEACON_MS = 1000;

/** The hub of one term. */
export interface Hub {
  readonly _term: number;
  /** Tells every tab this hub leads (also the answer to a probe). */
  _beacon(): void;
  /** A message from a tab, addressed to this hub's term. */
  _receive(m: ShareMessage): void;
  /** Steps down: the real connection closes and every transport with it. */
  _stop(): void;
}

/**
 * Resolves with whether the tab of a transport is still alive (session.ts asks the Web Locks
 * each tab holds): a tab that crashed never says goodbye.
 */
export type Liveness = () => Promise<(transport: string) => boolean>;

export function createHub(
  term: number,
  post: (m: ShareMessage) => void,
  WS: NativeConstructor,
  alive?: Liveness,
): Hub {
  /** Transport → the real connection it opened on (`gen`); 0 while it waits for one. */
  const links = new Map<string, number>();
  /** Request id → the transport that sent it (replies go back there only) and, for a
   * subscribe, its stream (the reply tells the stream's head). */
  const routes = new Map<string, [string, string | false]>();
  /** Stream → the transports subscribed to it. */
  const streams = new Map<string, Set<string>>();
  /** Stream → the newest position the real connection delivered. */
  const heads = new Map<string, Position>();
  let ws: WebSocket | undefined;
  let gen = 0;
  let failed = false;

  const send = (m: ShareMessage) => {
    m.n = term;
    post(m);
  };
  const beacon = () => send({ k: 'b' });
  /** Transports whose tab looked dead at the last sweep. */
  let suspects: string[] = [];
  // With the beacon (not on probes, so two sweeps are a beacon apart), transports of dead tabs
  // are looked for. One is forgotten when its tab looked dead twice in a row: a tab asks for
  // its lock before it attaches, but the two travel on different channels.
  const timer = setInterval(() => {
    beacon();
    alive?.().then((live) => {
      const dead = [...links.keys()].filter((t) => !live(t));
      for (const t of dead) if (suspects.includes(t)) forget(t);
      suspects = dead;
    }, ignore);
  }, BEACON_MS);
  beacon();

  const opened = (to: string[]) => {
    for (const t of to) links.set(t, gen);
    send({ k: 'o', to, p: ws!.protocol, e: ws!.extensions });
  };

  /** Remembers the newest position of `stream` delivered on this connection. */
  const head = (stream: string, position: unknown) => {
    const { epoch, seq } = (position ?? {}) as Partial<Position>;
    const last = heads.get(stream);
    // A position of another epoch starts over; within one, only a later one counts.
    if (
      typeof epoch === 'string' &&
      typeof seq === 'string' &&
      (last?.epoch !== epoch || compareSeq(seq, last.seq) > 0)
    )
      heads.set(stream, { epoch, seq });
  };

  /** `t` leaves `stream`; the server hears it when no tab is left. */
  const leave = (t: string, stream: string) => {
    const tabs = streams.get(stream);
    tabs?.delete(t);
    if (tabs?.size) return;
    streams.delete(stream);
    heads.delete(stream);
    if (ws?.readyState === 1) ws.send(encodeEnvelope({ type: 'unsubscribe', data: { stream } }));
  };

  /**
   * `t` is gone (closed, or its tab died): its streams are left and its replies dropped. With
   * `restart`, or no transport left, the connection closes.
   */
  const forget = (t: string, restart?: boolean, reason = '') => {
    links.delete(t);
    for (const [id, route] of routes) if (route[0] === t) routes.delete(id);
    for (const [stream, tabs] of streams) if (tabs.has(t)) leave(t, stream);
    if (restart || !links.size) drop(1006, reason, false);
  };

  /** The real connection ended (or is given up): every transport closes like it. */
  const drop = (c: number, r: string, l: boolean, closed?: boolean) => {
    if (ws) releaseTransport(ws, !closed);
    ws = undefined;
    // Only the transports this hub knows: one whose attach is still on its way gets a fresh
    // attempt when it arrives.
    const to = [...links.keys()];
    if (to.length) send({ k: 'x', to, c, r, l, x: closed && failed });
    links.clear();
    routes.clear();
    streams.clear();
    heads.clear();
  };

  /** Every event of the real connection. */
  const listener = (event: Event) => {
    const type = event.type;
    if (type === 'open') opened([...links.keys()].filter((t) => !links.get(t)));
    else if (type === 'error') failed = true;
    else if (type === 'close') {
      const { code, reason, wasClean } = event as CloseEvent;
      drop(code, reason, wasClean, true);
    } else {
      // A frame from the server: to whom it belongs.
      const d = (event as MessageEvent).data;
      const envelope = decodeEnvelope(d);
      const re = envelope?.re;
      const stream = envelope?.stream;
      let to: string[] | undefined;
      if (re !== undefined) {
        const route = routes.get(re);
        if (!route) return; // its transport left; the request is resent through another
        routes.delete(re);
        if (route[1]) head(route[1], envelope!.data);
        to = [route[0]];
      } else if (stream !== undefined) {
        const tabs = streams.get(stream);
        if (!tabs) return;
        head(stream, envelope);
        to = [...tabs];
      }
      send({ k: 'm', to, d });
    }
  };

  return {
    _term: term,
    _beacon: beacon,
    _receive(m) {
      const t = m.t!;
      const g = links.get(t);
      let d = m.d;
      if (m.k === 'a') {
        if (g !== undefined) return;
        links.set(t, 0);
        if (ws?.readyState === 1) opened([t]);
        else if (!ws) {
          gen++;
          failed = false;
          try {
            // Tabs turn binary frames into Blobs where they asked for them.
            ws = openTransport(WS, m.u!, m.s, 'arraybuffer', listener);
          } catch (error) {
            failed = true;
            drop(1006, String(error), false, true);
          }
        }
      } else if (m.k === 'f' && g) {
        // A frame from a tab: forwarded, except an `unsubscribe` other tabs still need. A
        // first subscribe (no position) for a stream another tab follows on this connection
        // replaces that tab's subscription on the server, so it asks from the newest position
        // this connection delivered. Without it, messages published while the server read the
        // stream would go to neither subscription and the other tab would heal a gap.
        const envelope = decodeEnvelope(d);
        const data = envelope?.data as { stream?: unknown; since?: unknown } | undefined;
        const stream = data?.stream;
        const subscribe = envelope?.type === 'subscribe' && typeof stream === 'string';
        if (envelope?.id !== undefined) {
          routes.set(envelope.id, [t, subscribe && stream]);
          if (subscribe) {
            const last = heads.get(stream);
            streams.set(stream, (streams.get(stream) ?? new Set()).add(t));
            if (last && data!.since === undefined)
              d = encodeEnvelope({ ...envelope, data: { ...data, since: last } });
          }
        } else if (envelope?.type === 'unsubscribe' && typeof stream === 'string')
          return leave(t, stream);
        if (ws?.readyState === 1) ws.send(d as string);
      } else if (m.k === 'c' && g !== undefined) {
        // A transport closed. A heartbeat timeout (4000) or `reconnect()` in a tab means the
        // connection it opened on cannot be trusted: every tab starts over.
        forget(t, g === gen && (m.c === 4000 || m.r === 'reconnect'), m.r);
      }
    },
    _stop() {
      clearInterval(timer);
      drop(1006, 'leader changed', false);
    },
  };
}
