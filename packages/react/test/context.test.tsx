import { Socket } from '@lifeline/core';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SocketProvider, useSocketContext } from '../src';
import { type Endpoint, fakeEndpoint } from './endpoint';

const endpoints: Endpoint[] = [];
afterEach(async () => {
  cleanup();
  await Promise.resolve();
  for (const ep of endpoints.splice(0)) ep.stop();
});

function Status({ id }: { id: string }) {
  const { status } = useSocketContext();
  return <p data-testid={id}>{status}</p>;
}

describe('SocketProvider / useSocketContext', () => {
  it('shares the provider socket with every consumer: one connection', async () => {
    const ep = fakeEndpoint();
    endpoints.push(ep);
    render(
      <SocketProvider url={ep.url} options={ep.options}>
        <Status id="a" />
        <Status id="b" />
      </SocketProvider>,
    );
    await waitFor(() => expect(screen.getByTestId('a').textContent).toBe('open'));
    expect(screen.getByTestId('b').textContent).toBe('open');
    expect(ep.created()).toBe(1);
    expect(ep.connections).toHaveLength(1);
  });

  it('passes down a socket it was given and leaves it open at unmount', async () => {
    const ep = fakeEndpoint();
    endpoints.push(ep);
    const socket = new Socket(ep.url, ep.options);
    const { unmount } = render(
      <SocketProvider socket={socket}>
        <Status id="a" />
      </SocketProvider>,
    );
    await waitFor(() => expect(screen.getByTestId('a').textContent).toBe('open'));
    unmount();
    await Promise.resolve();
    expect(socket.status).toBe('open');
    socket.dispose();
  });

  it('throws a clear error outside a provider', () => {
    // React logs the render error; keep the test output readable.
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(() => render(<Status id="a" />)).toThrow(/outside a <SocketProvider>/);
    quiet.mockRestore();
  });
});
