import {
  type Envelope,
  LifelineError,
  type MessageMap,
  type RequestMap,
  type Socket,
  type Status,
} from '@lifeline/core';
import { type Ref, type ShallowRef, shallowRef, watch } from 'vue';

/** An envelope of any type in `In`, with that type's data. */
export type IncomingEnvelope<In extends MessageMap> = {
  [K in keyof In & string]: Envelope<K, In[K]>;
}[keyof In & string];

/**
 * What `useSocket()` and `useLifeline()` return: the socket plus reactive state and methods
 * that forward to it. Typed by the socket's message maps (`Socket<In, Out, Req>`).
 */
export interface UseSocketReturn<
  // biome-ignore lint/suspicious/noExplicitAny: open maps default to untyped messages, as in core
  In extends MessageMap = any,
  // biome-ignore lint/suspicious/noExplicitAny: open maps default to untyped messages, as in core
  Out extends MessageMap = any,
  // biome-ignore lint/suspicious/noExplicitAny: open maps default to untyped messages, as in core
  Req extends RequestMap = any,
> {
  /** The socket; `null` during server rendering and, inside a component, until it mounts. */
  readonly socket: Readonly<ShallowRef<Socket<In, Out, Req> | null>>;
  /** The socket's status; `'idle'` while there is no socket. */
  readonly status: Readonly<Ref<Status>>;
  /** `data` of the last message received (raw, as `MessageEvent.data`), or `undefined`. */
  readonly data: Readonly<ShallowRef<unknown>>;
  /** The last JSON envelope received, or `undefined`. */
  readonly envelope: Readonly<ShallowRef<IncomingEnvelope<In> | undefined>>;
  /** `socket.send`: sends or queues raw data. */
  send: Socket<In, Out, Req>['send'];
  /** `socket.sendJson`: sends or queues a `{ type, data }` envelope. */
  sendJson: Socket<In, Out, Req>['sendJson'];
  /** `socket.request`: sends a request envelope and resolves with the reply's `data`. */
  request: Socket<In, Out, Req>['request'];
  /** `socket.connect()`: opens a socket that is idle or closed (no-op before it exists). */
  open: () => void;
  /** `socket.close(code?, reason?)`: closes for good, until `open()`. */
  close: (code?: number, reason?: string) => void;
}

function notReady(): LifelineError {
  return new LifelineError(
    'ERR_NOT_OPEN',
    'The socket does not exist yet: inside a component it is created when the component mounts, ' +
      'and never during server rendering. Send from onMounted, a watcher or an event handler.',
  );
}

/**
 * Reactive view of whatever socket `source` holds: mirrors its status and last message into
 * refs and forwards the methods. Listeners follow `source` and are removed when the calling
 * effect scope ends; the socket itself is left to its owner.
 */
export function bindSocket<In extends MessageMap, Out extends MessageMap, Req extends RequestMap>(
  source: ShallowRef<Socket<In, Out, Req> | null>,
): UseSocketReturn<In, Out, Req> {
  const status = shallowRef<Status>('idle');
  const data = shallowRef<unknown>();
  const envelope = shallowRef<IncomingEnvelope<In> | undefined>();

  // Synchronous flush: subscribe the moment a socket appears, before it can emit anything.
  watch(
    source,
    (socket, _previous, onCleanup) => {
      if (!socket) {
        status.value = 'idle';
        return;
      }
      status.value = socket.status;
      const onStatus = (next: Status) => {
        status.value = next;
      };
      const onMessage = (event: MessageEvent) => {
        data.value = event.data;
      };
      socket.on('status', onStatus);
      socket.on('message', onMessage);
      const offEnvelope = socket.onMessage('*', (received) => {
        envelope.value = received as IncomingEnvelope<In>;
      });
      onCleanup(() => {
        socket.off('status', onStatus);
        socket.off('message', onMessage);
        offEnvelope();
      });
    },
    { immediate: true, flush: 'sync' },
  );

  const current = (): Socket<In, Out, Req> => {
    const socket = source.value;
    if (!socket) throw notReady();
    return socket;
  };

  return {
    socket: source,
    status,
    data,
    envelope,
    send: (message) => current().send(message),
    sendJson: (type, payload) => current().sendJson(type, payload),
    request: (type, payload, options) => {
      const socket = source.value;
      return socket ? socket.request(type, payload, options) : Promise.reject(notReady());
    },
    open: () => source.value?.connect(),
    close: (code, reason) => source.value?.close(code, reason),
  };
}
