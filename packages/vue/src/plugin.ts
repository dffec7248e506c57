import {
  type Codec,
  type MessageMap,
  type RequestMap,
  Socket,
  type SocketOptions,
  type StreamMap,
  type UrlInput,
} from '@lifeline/core';
import { type App, type InjectionKey, inject, shallowRef } from 'vue';
import { bindSocket, type UseSocketReturn } from './bindSocket';
import { whenClient } from './lifecycle';

/** Options of {@link createLifeline}: the socket URL plus any core socket option. */
export interface LifelinePluginOptions extends SocketOptions {
  /** What `new Socket(url)` takes: a URL, or a function called before every attempt. */
  url: UrlInput;
}

/** The plugin {@link createLifeline} returns: one socket shared by the whole app. */
export interface LifelinePlugin {
  /**
   * Provides the plugin to every component (`app.use(lifeline)`). The socket is disposed when
   * the last app it was installed in unmounts (Vue 3.5+).
   */
  install(app: App): void;
  /** The shared socket, created on first call (never call it during server rendering). */
  getSocket(): Socket;
  /** Disposes the shared socket, if one was created; the next `getSocket()` makes a new one. */
  dispose(): void;
}

/** Injection key under which {@link createLifeline} provides itself. */
export const lifelineKey: InjectionKey<LifelinePlugin> = Symbol('lifeline');

// Each plugin's codec, so `useLifeline` reads `data` as the socket does (kept off the public type).
const codecs = new WeakMap<LifelinePlugin, Codec | undefined>();

/**
 * Creates a Vue plugin that shares one Lifeline socket across the app. The socket is created
 * lazily by the first component that calls {@link useLifeline} after mounting, so server
 * rendering opens nothing.
 *
 * @example
 * ```ts
 * const app = createApp(App);
 * app.use(createLifeline({ url: 'wss://api.example.com/ws', heartbeat: true }));
 * app.mount('#app');
 * ```
 */
export function createLifeline(options: LifelinePluginOptions): LifelinePlugin {
  const { url, ...socketOptions } = options;
  let socket: Socket | null = null;
  let apps = 0; // installed in several apps (micro-frontends, tests): the last one disposes
  const plugin: LifelinePlugin = {
    install(app) {
      app.provide(lifelineKey, plugin);
      // `onUnmount` arrived in Vue 3.5; on older versions call `dispose()` yourself.
      const withUnmount = app as App & { onUnmount?: (fn: () => void) => void };
      if (!withUnmount.onUnmount) return;
      apps++;
      withUnmount.onUnmount(() => {
        if (--apps === 0) plugin.dispose();
      });
    },
    getSocket() {
      socket ??= new Socket(url, socketOptions);
      return socket;
    },
    dispose() {
      socket?.dispose();
      socket = null;
    },
  };
  codecs.set(plugin, socketOptions.codec);
  return plugin;
}

/**
 * The app's shared socket (from {@link createLifeline}) as refs and methods, like
 * `useSocket()`. Ending the calling scope only removes this component's listeners: the socket
 * stays open for the rest of the app. Throws if the plugin is not installed.
 *
 * @example
 * ```ts
 * const { status, request } = useLifeline();
 * const total = await request('sum', { a: 1, b: 2 });
 * ```
 */
export function useLifeline<
  // biome-ignore lint/suspicious/noExplicitAny: open maps default to untyped messages, as in core
  In extends MessageMap = any,
  // biome-ignore lint/suspicious/noExplicitAny: open maps default to untyped messages, as in core
  Out extends MessageMap = any,
  // biome-ignore lint/suspicious/noExplicitAny: open maps default to untyped messages, as in core
  Req extends RequestMap = any,
  // biome-ignore lint/suspicious/noExplicitAny: open maps default to untyped messages, as in core
  Streams extends StreamMap = any,
>(): UseSocketReturn<In, Out, Req, Streams> {
  const plugin = inject(lifelineKey, null);
  if (!plugin) {
    throw new Error(
      'useLifeline() found no Lifeline plugin. Install it before mounting with ' +
        "app.use(createLifeline({ url: 'wss://…' })), and call useLifeline() inside setup().",
    );
  }
  const socket = shallowRef<Socket<In, Out, Req, Streams> | null>(null);
  const view = bindSocket(socket, () => codecs.get(plugin));
  whenClient(() => {
    // One app-wide socket; each caller picks the message maps it reads it with.
    socket.value = plugin.getSocket() as Socket<In, Out, Req, Streams>;
  });
  return view;
}
