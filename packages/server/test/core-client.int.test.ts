// The real client against the real server: request/reply, and a graceful server restart (1012)
// that the client rides out by reconnecting on its own.
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CloseEvent, LifelineError, Socket } from '@lifeline/core';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket as WS } from 'ws';
import { createServer, type LifelineServer, ReplyError } from '../src/index';
import { cleanUp, onCleanUp, until } from './support/harness';

afterEach(cleanUp);

const WebSocket = WS as never;

describe('with the @lifeline/core Socket', () => {
  it('requests get replies and error replies become ERR_REMOTE', async () => {
    const server = createServer({ port: 0 });
    onCleanUp(() => server.close());
    await server.ready();
    server.handle('sum', (data) => {
      const { a, b } = data as { a: number; b: number };
      return a + b;
    });
    server.handle('buy', () => {
      throw new ReplyError('Sold out', 'OUT_OF_STOCK');
    });
    const socket = new Socket(`ws://127.0.0.1:${server.port}/ws`, { WebSocket });
    onCleanUp(() => socket.dispose());
    expect(await socket.request('sum', { a: 1, b: 2 })).toBe(3);
    const error = await socket.request('buy', {}).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LifelineError);
    expect(error).toMatchObject({
      code: 'ERR_REMOTE',
      message: 'Sold out',
      remote: { code: 'OUT_OF_STOCK' },
    });
  });

  it('reconnects by itself after the server closes with 1012 and is replaced', async () => {
    // Mounted, so a new LifelineServer can take over the same port, as after a deploy.
    const http = createHttpServer();
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    onCleanUp(() => new Promise((resolve) => http.close(resolve)));
    const url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}/ws`;
    const start = (name: string): LifelineServer => {
      const server = createServer({ server: http });
      onCleanUp(() => server.close());
      server.handle('who', () => name);
      return server;
    };
    const first = start('first');
    const socket = new Socket(url, { WebSocket, reconnect: { initialDelay: 20, maxDelay: 100 } });
    onCleanUp(() => socket.dispose());
    expect(await socket.request('who', null)).toBe('first');

    const closes: CloseEvent[] = [];
    socket.on('close', (event) => closes.push(event));
    await first.close();
    start('second');
    expect(await socket.request('who', null)).toBe('second');
    expect(closes.map((event) => event.code)).toEqual([1012]);
    await until(() => socket.status === 'open', 'the socket to be open');
  });
});
