// The `onMessage` handlers of a messaging socket, by type (`'*'`: every envelope). Each call
// is isolated: a handler that throws cannot stop the others or the socket.
import { safeCall } from './emitter';
import type { Envelope } from './envelope';

type Handler = (a: unknown, b?: unknown) => void;

/** Handlers by message type. */
export type HandlerTable = Map<string, Set<Handler>>;

/** Adds `handler` for `type`; returns what removes it. */
export function addHandler(table: HandlerTable, type: string, handler: Handler): () => void {
  let set = table.get(type);
  if (!set) {
    set = new Set();
    table.set(type, set);
  }
  set.add(handler);
  return () => {
    set.delete(handler);
    if (set.size === 0 && table.get(type) === set) table.delete(type);
  };
}

/** Calls the handlers of the envelope's type with `(data, envelope)`, then the `'*'` ones. */
export function routeEnvelope(table: HandlerTable | undefined, self: unknown, envelope: Envelope) {
  route(table, self, envelope.type, envelope.data, envelope);
  route(table, self, '*', envelope);
}

/** Calls the handlers of `type`; a copy only when several could unsubscribe. */
function route(
  table: HandlerTable | undefined,
  self: unknown,
  type: string,
  a: unknown,
  b?: unknown,
) {
  const handlers = table?.get(type);
  if (!handlers) return;
  if (handlers.size === 1) for (const fn of handlers) safeCall(fn, self, a, b);
  else for (const fn of [...handlers]) safeCall(fn, self, a, b);
}
