// @vitest-environment node
// Server rendering of real components (compiled here with Svelte 5, one of them in Svelte 4
// syntax): the stores render 'idle', open nothing, and read no browser global except the one
// `typeof window` that tells them they are on the server.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Socket } from '@lifeline/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserGlobalTraps, recordingWebSocket } from '../../../test/support/ssr-globals';
import { messageStore, socketStore, subscriptionStore } from '../src';
import { bundleSvelte } from './compileSvelte';
import { LEGACY_COMPONENT, RUNES_APP } from './components';

const traps = browserGlobalTraps();

type Render = (component: unknown, options: { props: Record<string, unknown> }) => { body: string };
let dir: string;
let app: { render: Render; App: unknown };

beforeAll(async () => {
  const code = await bundleSvelte({
    entry: `export { render } from 'svelte/server'; export { default as App } from 'virtual:App.svelte';`,
    components: { 'App.svelte': RUNES_APP, 'Legacy.svelte': LEGACY_COMPONENT },
    generate: 'server',
  });
  // Outside the repository, removed afterwards.
  dir = mkdtempSync(join(tmpdir(), 'lifeline-svelte-ssr-'));
  const file = join(dir, 'app.mjs');
  writeFileSync(file, code);
  app = await import(/* @vite-ignore */ pathToFileURL(file).href);
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('server rendering', () => {
  it('renders idle stores from a Svelte 5 component and a Svelte 4 one inside it', () => {
    traps.arm();
    try {
      const { body } = app.render(app.App, {
        props: { url: 'ws://server.test/ws', stream: 'room:1' },
      });
      expect(body).toContain('<p id="status">idle</p>');
      expect(body).toContain('<p id="attempt">0</p>');
      expect(body).toContain('<p id="room">idle</p>');
      expect(body).toContain('<p id="legacy-status">idle</p>');
      expect(body).toContain('<p id="notice"></p>');
      expect(traps.touched.filter((name) => name !== 'window')).toEqual([]);
    } finally {
      traps.restore();
    }
  });

  it('creates, connects and subscribes nothing, even with a socket passed in', async () => {
    const { created, Constructor } = recordingWebSocket();
    // Made before the traps: what core's constructor reads is core's business.
    const given = new Socket('ws://server.test/ws', { WebSocket: Constructor, autoConnect: false });
    traps.arm();
    try {
      const chat = socketStore('ws://server.test/ws', { WebSocket: Constructor });
      const states: string[] = [];
      const stopChat = chat.subscribe((s) => states.push(s.status));
      const stopNotice = messageStore(chat, 'notice').subscribe(() => {});
      const room = subscriptionStore(chat, 'room:1');
      const stopRoom = room.subscribe(() => {});
      expect(states).toEqual(['idle']);
      expect(chat.socket).toBeNull();
      expect(room.subscription).toBeNull();
      expect(() => chat.sendJson('x', {})).toThrow(
        expect.objectContaining({ code: 'ERR_NOT_OPEN' }),
      );
      // A socket the app made on the server (with autoConnect: false) is left alone too.
      const stopGiven = subscriptionStore(given, 'room:2').subscribe(() => {});
      const givenStates: string[] = [];
      const stopGivenState = socketStore(given).subscribe((s) => givenStates.push(s.status));
      expect(givenStates).toEqual(['idle']);
      expect(given.eventNames()).toEqual([]);
      stopGiven();
      stopGivenState();
      stopChat();
      stopNotice();
      stopRoom();
      await Promise.resolve();
      expect(created).toEqual([]);
      expect(traps.touched.filter((name) => name !== 'window')).toEqual([]);
    } finally {
      traps.restore();
    }
  });
});
