// `share` when a tab crashes (DESIGN §11) in real Chromium: a crashed renderer fires no
// `pagehide` and says goodbye to nobody, but it loses its Web Locks. The leader notices the
// crashed tab's lock is gone and forgets it: its stream is unsubscribed on the wire, and once
// the leader's own socket closes, nothing keeps the connection open.
import type * as Core from '@lifeline/core';
import { createServer, type LifelineServer } from '@lifeline/server';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTabs, type Tabs } from './share-pages';

interface Tab {
  Lifeline: typeof Core;
  socket: Core.Socket;
  /** Every frame this page's real WebSockets sent. */
  wire: string[];
}

let tabs: Tabs;
let server: LifelineServer;

beforeAll(async () => {
  tabs = await openTabs();
  server = createServer({ port: 0, allowOrigins: [tabs.origin], pingInterval: 0 });
  await server.ready();
  server.handle('never', () => new Promise(() => {}));
});

afterAll(async () => {
  await server?.close();
  await tabs?.close();
});

/** A tab sharing `name`, recording what its real WebSockets send; subscribed to `stream`. */
async function tab(name: string, stream?: string): Promise<Page> {
  const page = await tabs.open();
  await page.evaluate(
    ({ url, name, stream }) => {
      const w = window as unknown as Tab;
      w.wire = [];
      const send = WebSocket.prototype.send;
      WebSocket.prototype.send = function (this: WebSocket, data) {
        w.wire.push(String(data));
        send.call(this, data);
      };
      w.socket = new w.Lifeline.Socket(url, { share: { name } });
      if (stream) w.socket.subscribe(stream, () => {});
    },
    { url: `ws://127.0.0.1:${server.port}/ws`, name, stream },
  );
  return page;
}

/** Polls `fn` in `page` until it returns true; resolves with the time it took. */
async function until(page: Page, fn: string, ms: number): Promise<number> {
  const started = Date.now();
  await page.waitForFunction(fn, undefined, { timeout: ms, polling: 20 });
  return Date.now() - started;
}

const unsubscribed = (stream: string) =>
  `wire.some((d) => d.includes('"unsubscribe"') && d.includes('"${stream}"'))`;

describe('share: a crashed tab', () => {
  it('is forgotten by the leader within 4 s: its stream is unsubscribed, and it holds no connection', async () => {
    const leader = await tab('crash', 'shared');
    await until(leader, `socket.role === 'leader' && socket.status === 'open'`, 5000);
    const follower = await tab('crash', 'crashy');
    await follower.evaluate(() => {
      const w = window as unknown as Tab;
      w.socket.subscribe('shared', () => {});
      w.socket.request('never', {}, { timeout: 60_000 }).catch(() => {});
    });
    await until(follower, `socket.role === 'follower' && socket.status === 'open'`, 5000);
    // Both subscriptions and the request are on the wire, through the leader.
    await until(leader, `wire.filter((d) => d.includes('"subscribe"')).length === 3`, 5000);
    await until(leader, `wire.some((d) => d.includes('"never"'))`, 5000);
    expect(server.clients).toBe(1);

    const crashed = new Promise<void>((resolve) => follower.once('crash', () => resolve()));
    const cdp = await tabs.context.newCDPSession(follower);
    const crashedAt = Date.now();
    cdp.send('Page.crash').catch(() => {}); // never answers: the renderer is gone
    await crashed;
    // Two sweeps a beacon apart, after up to one beacon: at most about 3 s.
    await until(leader, unsubscribed('crashy'), 4000);
    const forgotten = Date.now() - crashedAt;
    console.log(`crashed follower forgotten after ${forgotten} ms`);
    expect(forgotten).toBeLessThan(4000);
    // The stream the leader still follows stays subscribed, and the leader still works.
    expect(await leader.evaluate(unsubscribed('shared'))).toBe(false);
    expect(await leader.evaluate(() => (window as unknown as Tab).socket.role)).toBe('leader');
    expect(server.clients).toBe(1);

    // The crashed tab counts no longer: the leader's own socket was the last one.
    await leader.evaluate(() => (window as unknown as Tab).socket.close());
    const end = Date.now() + 3000;
    while (server.clients > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    expect(server.clients).toBe(0);
    expect(tabs.pageErrors).toEqual([]);
    await leader.close();
    await follower.close().catch(() => {});
  });
});
