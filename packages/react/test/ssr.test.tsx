// @vitest-environment node
// Node, not happy-dom: a server has no window, document or WebSocket to touch.
import { Socket, type SocketOptions } from '@lifeline/core';
import { renderToString } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import { SocketProvider, useSocket, useSocketContext, useSocketStatus } from '../src';
import { sharedSocketCount } from '../src/registry';

const constructed = vi.fn();
class SpyWebSocket {
  constructor() {
    constructed();
  }
}
const options: SocketOptions = { WebSocket: SpyWebSocket as unknown as SocketOptions['WebSocket'] };
const url = 'ws://127.0.0.1:1/ws';

function Page() {
  const { status, socket, lastMessage } = useSocket(url, options);
  return (
    <p>
      {status}|{socket === null ? 'no socket' : 'socket'}|{String(lastMessage)}
    </p>
  );
}

function Child() {
  return <i>{useSocketContext().status}</i>;
}

function Badge({ socket }: { socket: Socket }) {
  return <b>{useSocketStatus(socket)}</b>;
}

describe('server rendering', () => {
  it('creates no socket, constructs no WebSocket and reports idle', () => {
    const before = sharedSocketCount();
    const html = renderToString(
      <>
        <Page />
        <SocketProvider url={url} options={options}>
          <Child />
        </SocketProvider>
      </>,
    );
    expect(html).toBe('<p>idle<!-- -->|<!-- -->no socket<!-- -->|<!-- -->undefined</p><i>idle</i>');
    expect(constructed).not.toHaveBeenCalled();
    expect(sharedSocketCount()).toBe(before);
  });

  it('reports idle for a given socket and never connects it', () => {
    const socket = new Socket(url, { ...options, autoConnect: false });
    const connect = vi.spyOn(socket, 'connect');
    expect(renderToString(<Badge socket={socket} />)).toBe('<b>idle</b>');
    expect(connect).not.toHaveBeenCalled();
    socket.dispose();
  });

  // Guards the two tests above: they only prove something where these globals are missing.
  it('runs where window, document, navigator and WebSocket do not exist', () => {
    const globals = globalThis as Record<string, unknown>;
    const present = ['window', 'document', 'navigator', 'WebSocket'].filter((n) => n in globals);
    expect(present).toEqual([]);
  });
});
