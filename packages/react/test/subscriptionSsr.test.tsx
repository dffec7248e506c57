// @vitest-environment node
// Server rendering subscribes nothing: useSubscription reports `idle`, as useSocket does.
import { Socket, type SocketOptions } from '@lifeline/core';
import { renderToString } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import { useSocket, useSubscription } from '../src';

const constructed = vi.fn();
class SpyWebSocket {
  constructor() {
    constructed();
  }
}
const options: SocketOptions = { WebSocket: SpyWebSocket as unknown as SocketOptions['WebSocket'] };
const url = 'ws://127.0.0.1:1/ws';

function Given({ socket }: { socket: Socket }) {
  const { status, position, subscription } = useSubscription(socket, 'room:1', () => {});
  return (
    <p>
      {status}|{String(position)}|{String(subscription)}
    </p>
  );
}

function FromUseSocket() {
  const { socket } = useSocket(url, options);
  return <i>{useSubscription(socket, 'room:1').status}</i>;
}

describe('useSubscription in server rendering', () => {
  it('subscribes nothing, opens nothing and reports idle', () => {
    const socket = new Socket(url, { ...options, autoConnect: false });
    const subscribe = vi.spyOn(socket, 'subscribe');
    const html = renderToString(
      <>
        <Given socket={socket} />
        <FromUseSocket />
      </>,
    );
    expect(html).toBe('<p>idle<!-- -->|<!-- -->undefined<!-- -->|<!-- -->null</p><i>idle</i>');
    expect(subscribe).not.toHaveBeenCalled();
    expect(constructed).not.toHaveBeenCalled();
    socket.dispose();
  });

  it('runs where window, document and WebSocket do not exist', () => {
    const globals = globalThis as Record<string, unknown>;
    expect(['window', 'document', 'WebSocket'].filter((n) => n in globals)).toEqual([]);
  });
});
