import {
  type Codec,
  type EnvelopeOf,
  LifelineError,
  type MessageMap,
  type RequestMap,
  type Socket,
  type Status,
  type StreamMap,
} from '@lifeline/core';
import { type Ref, type ShallowRef, shallowRef, watch } from 'vue';
import { isAppFrame } from './frames';

/**
 * An envelope of any type in `In`, with that type's data: checking `type === 'chat'` narrows
 * `data` to the chat data. `data` is required here (core's `Envelope` has it optional): the map
 * says what each type carries, as it does for `onMessage` handlers.
 */
export type IncomingEnvelope<In extends MessageMap> = EnvelopeOf<In>;

/**
 * What `useSocket()` and `useLifeline()` return: the socket plus reactive state and methods
 * that forward to it. Typed by the socket's message maps and stream map
 * (`Socket<In, Out, Req, Streams>`).
 */
export interface UseSocketReturn<
  // biome-ignore lint/suspicious/noExplicitAny: open maps default to untyped messages, as in core
  In extends MessageMap = any,
  // biome-ignore lint/suspicious/noExplicitAny: open maps default to untyped messages, as in core
  Out extends MessageMap = any,
  // biome-ignore lint/suspicious/noExplicitAny: open maps default to untyped messages, as in core
  Req extends RequestMap = any,
  // biome-ignore lint/suspicious/noExplicitAny: open maps default to untyped messages, as in core
  Streams extends StreamMap = any,
> {
  /** The socket; `null` during server rendering and, inside a component, until it mounts. */
  readonly socket: Readonly<ShallowRef<Socket<In, Out, Req, Streams> | null>>;
  /** The socket's status; `'idle'` while there is no socket. */
  readonly status: Readonly<Ref<Status>>;
  /**
   * The last message received, raw (`MessageEvent.data`: text or binary), or `undefined`.
   * Request replies and protocol frames (heartbeat pongs, stream control) never land here.
   */
  readonly data: Readonly<ShallowRef<unknown>>;
  /** The last envelope `onMessage` handlers received (no replies, no protocol frames). */
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
 * effect scope ends; the socket itself is left to its owner. `codec` is the socket's, to tell
 * replies and protocol frames from the application's messages in `data`.
 */
export function bindSocket<
  In extends MessageMap,
  Out extends MessageMap,
  Req extends RequestMap,
  Streams extends StreamMap,
>(
  source: ShallowRef<Socket<In, Out, Req, Streams> | null>,
  codec?: () => Codec | undefined,
): UseSocketReturn<In, Out, Req, Streams> {
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
        if (isAppFrame(event.data, codec?.())) data.value = event.data;
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

  const current = (): Socket<In, Out, Req, Streams> => {
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
    sendJson: (type, ...data) => current().sendJson(type, ...data),
    request: (type, ...args) => {
      const socket = source.value;
      return socket ? socket.request(type, ...args) : Promise.reject(notReady());
    },
    open: () => source.value?.connect(),
    close: (code, reason) => source.value?.close(code, reason),
  };
}
