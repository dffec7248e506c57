// Lifeline through its drop-in surface, transport injected with the `WebSocket` option. Besides
// the default `Socket`, two variants for the per-message table only: the full `Socket` with a
// heartbeat (its per-frame cost is a goal of issue 13) and the smaller `ReconnectingSocket` entry.
import { ReconnectingSocket, Socket } from '@lifeline/core';
import type { LibAdapter } from './types';

/** A heartbeat that never pings during a per-message run (each run lasts well under a second). */
export const QUIET_HEARTBEAT = { interval: 60_000, timeout: 10_000 } as const;

interface Options {
  binaryType: BinaryType;
  WebSocket?: typeof WebSocket;
}

/** The surface both Lifeline classes share, as far as the benchmarks use it. */
interface LifelineLike {
  on(event: 'open', listener: () => void): unknown;
  onmessage: ((event: MessageEvent) => void) | null;
  send(data: string | ArrayBuffer): unknown;
  close(): void;
}

function lifelineAdapter(
  name: string,
  make: (url: string, options: Options) => LifelineLike,
): LibAdapter {
  return {
    name,
    create(url, on, Transport) {
      const socket = make(url, {
        binaryType: 'arraybuffer',
        ...(Transport ? { WebSocket: Transport } : {}),
      });
      socket.on('open', () => on.open());
      socket.onmessage = (event) => on.message(event.data);
      return {
        send: (data) => void socket.send(data),
        close: () => socket.close(),
      };
    },
  };
}

/** `Socket` with its defaults (no heartbeat): the row every suite measures. */
export const lifeline = lifelineAdapter('lifeline', (url, options) => new Socket(url, options));

/** `Socket` with `heartbeat` on: every frame also marks the connection alive. */
export const lifelineHeartbeat = lifelineAdapter(
  'lifeline (heartbeat on)',
  (url, options) => new Socket(url, { ...options, heartbeat: QUIET_HEARTBEAT }),
);

/** The smaller entry: a reconnecting `WebSocket` without envelopes, requests or heartbeat. */
export const lifelineReconnecting = lifelineAdapter(
  'lifeline (ReconnectingSocket)',
  (url, options) => new ReconnectingSocket(url, options),
);
