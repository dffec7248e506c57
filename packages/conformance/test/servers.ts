// Servers the kit's tests run against: @lifeline/server with the fixture, a silent `ws` server,
// and a proxy in front of a good server that breaks the protocol in one chosen way.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { createServer, type LifelineServer, memoryStore } from '@lifeline/server';
import WebSocket, { WebSocketServer } from 'ws';
import { conformanceStore, installConformanceFixture, SMALL_WINDOW } from '../src/index';

/** A started server: its URL and how to stop it. */
export interface Running {
  url: string;
  stop(): Promise<void>;
}

/** @lifeline/server on a free port, with the conformance fixture and the small-window store. */
export async function fixtureServer(
  maxPayload = 1024 * 1024,
): Promise<Running & { server: LifelineServer }> {
  const server = createServer({
    port: 0,
    maxPayload,
    store: conformanceStore(memoryStore(), memoryStore({ maxPerStream: SMALL_WINDOW })),
  });
  installConformanceFixture(server);
  await server.ready();
  return { server, url: `ws://127.0.0.1:${server.port}/ws`, stop: () => server.close() };
}

async function listen(): Promise<{ wss: WebSocketServer; url: string; stop(): Promise<void> }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await once(wss, 'listening');
  const stop = async () => {
    for (const client of wss.clients) client.terminate();
    await new Promise((resolve) => wss.close(resolve));
  };
  return { wss, url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`, stop };
}

/** A plain `ws` server that accepts connections and never answers anything. */
export async function silentServer(): Promise<Running> {
  const { url, stop } = await listen();
  return { url, stop };
}

/** How a proxy alters traffic: each hook returns the frames to pass on (none to drop it). */
export interface Tamper {
  toServer?(text: string, client: WebSocket): string[];
  toClient?(text: string): string[];
}

/** A proxy in front of `upstream` that applies `tamper` to every text frame. */
export async function brokenProxy(upstream: string, tamper: Tamper): Promise<Running> {
  const { wss, url, stop } = await listen();
  wss.on('connection', (client) => {
    const server = new WebSocket(upstream);
    const early: string[] = []; // frames from the client before the upstream is open
    const toServer = (text: string) => {
      for (const frame of tamper.toServer?.(text, client) ?? [text]) {
        if (server.readyState === WebSocket.OPEN) server.send(frame);
        else early.push(frame);
      }
    };
    server.on('open', () => {
      for (const frame of early.splice(0)) server.send(frame);
    });
    client.on('message', (data, isBinary) => {
      if (isBinary) server.readyState === WebSocket.OPEN && server.send(data);
      else toServer(data.toString());
    });
    server.on('message', (data) => {
      for (const frame of tamper.toClient?.(data.toString()) ?? [data.toString()])
        client.send(frame);
    });
    // Pass closes on; codes that cannot be sent (1005, 1006) become 1000.
    const sendable = (code: number) => (code === 1005 || code === 1006 ? 1000 : code);
    server.on('close', (code) => client.close(sendable(code)));
    client.on('close', () => server.terminate());
    server.on('error', () => client.terminate());
    client.on('error', () => server.terminate());
  });
  return { url, stop };
}
