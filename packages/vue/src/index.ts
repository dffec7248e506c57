// Vue composables and plugin over @lifeline/core. They hold no connection logic and no timers:
// the core socket does the work, these files turn its events into refs and tie its lifetime
// to Vue's (effect scopes, mounting, the app).
export type { IncomingEnvelope, UseSocketReturn } from './bindSocket';
export {
  createLifeline,
  type LifelinePlugin,
  type LifelinePluginOptions,
  lifelineKey,
  useLifeline,
} from './plugin';
export { useReconnectInfo } from './useReconnectInfo';
export { type SocketUrlSource, useSocket } from './useSocket';
export { type SocketSource, useSocketMessage } from './useSocketMessage';
export {
  type UseSubscriptionOptions,
  type UseSubscriptionReturn,
  type UseSubscriptionStatus,
  useSubscription,
} from './useSubscription';
