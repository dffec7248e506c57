// Public entry of @lifeline/svelte: stores over @lifeline/core for Svelte 4 and 5 components.
// They hold no connection logic and no timers; importing this touches no browser global and
// loads no Svelte runtime (the store contract is plain functions), so server rendering is free.
export { messageStore } from './messageStore';
export type { Readable } from './readable';
export {
  type IncomingEnvelope,
  type SocketState,
  type SocketStore,
  socketStore,
} from './socketStore';
export type { SocketSource } from './source';
export {
  type SubscriptionState,
  type SubscriptionStore,
  type SubscriptionStoreOptions,
  type SubscriptionStoreStatus,
  subscriptionStore,
} from './subscriptionStore';
