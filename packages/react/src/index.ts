// Public entry of @lifeline/react: hooks over @lifeline/core. Importing it touches no browser
// global; sockets are only ever created in effects, on the client.
export {
  SocketProvider,
  type SocketProviderProps,
  type UseSocketContextResult,
  useSocketContext,
} from './context';
export { useReconnectInfo } from './useReconnectInfo';
export { type IncomingEnvelope, type UseSocketResult, useSocket } from './useSocket';
export { useSocketMessage } from './useSocketMessage';
export { useSocketStatus } from './useSocketStatus';
export {
  type UseSubscriptionOptions,
  type UseSubscriptionResult,
  type UseSubscriptionStatus,
  useSubscription,
} from './useSubscription';
