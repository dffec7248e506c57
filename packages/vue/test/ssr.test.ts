// @vitest-environment node
// Server rendering must open nothing and read no browser global: the globals are trapped here
// so that even a `typeof`-free read of them is recorded.

import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSSRApp, defineComponent, h } from 'vue';
import { renderToString } from 'vue/server-renderer';
import { browserGlobalTraps, recordingWebSocket } from '../../../test/support/ssr-globals';
import { createLifeline, useLifeline } from '../src/plugin';
import { useSocket } from '../src/useSocket';
import { useSocketMessage } from '../src/useSocketMessage';

const traps = browserGlobalTraps();

// Vue's one-time hydration-renderer setup probes `window` for devtools: run it before arming
// the traps, so they record only what the adapter and the render itself read.
beforeAll(() => {
  createSSRApp({ render: () => null });
});
beforeEach(() => traps.arm());
afterEach(() => traps.restore());

describe('server rendering', () => {
  it('useSocket renders idle, creates no socket and touches no browser global', async () => {
    const { created, Constructor } = recordingWebSocket();
    let socketOnServer: unknown = 'unset';
    const App = defineComponent({
      setup() {
        const { status, socket, data } = useSocket(() => 'ws://example.test/', {
          WebSocket: Constructor,
        });
        useSocketMessage(socket, 'chat', () => {});
        socketOnServer = socket.value;
        return () => h('p', `${status.value}:${String(data.value)}`);
      },
    });
    const html = await renderToString(createSSRApp(App));
    expect(html).toBe('<p>idle:undefined</p>');
    expect(socketOnServer).toBeNull();
    expect(created).toEqual([]);
    expect(traps.touched).toEqual([]);
  });

  it('useSocket in a store-like effect outside components detects SSR too', async () => {
    const { created, Constructor } = recordingWebSocket();
    let status = '';
    const App = defineComponent({
      setup() {
        return () => h('p', status);
      },
    });
    const app = createSSRApp(App);
    // Stores (e.g. Pinia setup stores) run with the app's injection context, not a component's.
    await renderToString(app); // provides the SSR context to the app
    app.runWithContext(() => {
      status = useSocket('ws://example.test/', { WebSocket: Constructor }).status.value;
    });
    expect(status).toBe('idle');
    expect(created).toEqual([]);
    expect(traps.touched).toEqual([]);
  });

  it('the plugin and useLifeline render idle and open nothing', async () => {
    const { created, Constructor } = recordingWebSocket();
    const App = defineComponent({
      setup() {
        const { status } = useLifeline();
        return () => h('span', status.value);
      },
    });
    const app = createSSRApp(App).use(
      createLifeline({ url: 'ws://example.test/', WebSocket: Constructor }),
    );
    expect(await renderToString(app)).toBe('<span>idle</span>');
    expect(created).toEqual([]);
    expect(traps.touched).toEqual([]);
  });
});
