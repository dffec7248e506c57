// @vitest-environment node
// Server rendering subscribes nothing: useSubscription renders `idle`, as useSocket does.
import { Socket } from '@lifeline/core';
import { describe, expect, it, vi } from 'vitest';
import { createSSRApp, defineComponent, h } from 'vue';
import { renderToString } from 'vue/server-renderer';
import { useSocket } from '../src/useSocket';
import { useSubscription } from '../src/useSubscription';

const created = vi.fn();
const WebSocket = function RecordingWebSocket() {
  created();
} as unknown as typeof globalThis.WebSocket;

describe('useSubscription in server rendering', () => {
  it('subscribes nothing, even to a socket it is given, and renders idle', async () => {
    const given = new Socket('ws://example.test/', { WebSocket, autoConnect: false });
    const subscribe = vi.spyOn(given, 'subscribe');
    const App = defineComponent({
      setup() {
        const { socket } = useSocket('ws://example.test/', { WebSocket });
        const fromUseSocket = useSubscription(socket, 'room:1', () => {});
        const fromGiven = useSubscription(given, 'room:1');
        return () =>
          h(
            'p',
            [fromUseSocket, fromGiven]
              .map((r) => `${r.status.value}|${r.position.value}|${r.subscription.value}`)
              .join(' '),
          );
      },
    });
    const html = await renderToString(createSSRApp(App));
    expect(html).toBe('<p>idle|undefined|null idle|undefined|null</p>');
    expect(subscribe).not.toHaveBeenCalled();
    expect(created).not.toHaveBeenCalled();
    given.dispose();
  });
});
