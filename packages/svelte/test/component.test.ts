// Components compiled here (Svelte 5 runes, and Svelte 4 syntax in legacy mode) and mounted in
// happy-dom, on @lifeline/testing's fake server: what the guide recommends works as written (a store made from a
// prop with `$derived` or `$:` follows the prop).
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { bundleSvelte } from './compileSvelte';
import { fakeServer, stopServers, subscribers } from './harness';

const ROOM = `
<script>
  import { socketStore, subscriptionStore } from '@lifeline/svelte';
  let { url, options, roomId } = $props();
  const chat = socketStore(url, options);
  const room = $derived(subscriptionStore(chat, 'room:' + roomId));
</script>
<p id="chat">{$chat.status}</p>
<p id="room">{$room.status} {$room.last?.data.text ?? ''}</p>
`;

/** The same in Svelte 4 syntax (legacy mode): `$:` makes a new store when the prop changes. */
const LEGACY_ROOM = `
<script>
  import { socketStore, subscriptionStore } from '@lifeline/svelte';
  export let url;
  export let options;
  export let roomId;
  const chat = socketStore(url, options);
  $: room = subscriptionStore(chat, 'room:' + roomId);
</script>
<p id="chat">{$chat.status}</p>
<p id="room">{$room.status} {$room.last?.data.text ?? ''}</p>
`;

/** Holds the room id as state and passes it down as a prop. */
const PARENT = `
<script>
  import Room from 'virtual:Room.svelte';
  import LegacyRoom from 'virtual:LegacyRoom.svelte';
  let { url, options, legacy } = $props();
  let roomId = $state('1');
  export function setRoom(id) {
    roomId = id;
  }
</script>
{#if legacy}<LegacyRoom {url} {options} {roomId} />{:else}<Room {url} {options} {roomId} />{/if}
`;

type Parent = { setRoom(id: string): void };
type Svelte = {
  mount(component: unknown, options: { target: Element; props: unknown }): Parent;
  unmount(instance: object): Promise<void>;
  flushSync(): void;
  Parent: unknown;
};
let svelte: Svelte;

beforeAll(async () => {
  const code = await bundleSvelte({
    entry: `export { mount, unmount, flushSync } from 'svelte'; export { default as Parent } from 'virtual:Parent.svelte';`,
    components: { 'Room.svelte': ROOM, 'LegacyRoom.svelte': LEGACY_ROOM, 'Parent.svelte': PARENT },
    generate: 'client',
    globalName: 'bundle',
  });
  // Run in this realm, like a <script> tag: happy-dom's document, the fake server's WebSocket.
  svelte = new Function(`${code}; return bundle;`)() as Svelte;
}, 30_000);
beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  stopServers();
  expect(vi.getTimerCount()).toBe(0);
  vi.useRealTimers();
  document.body.innerHTML = '';
});

const text = (id: string) => document.getElementById(id)?.textContent;

describe.each([
  ['Svelte 5, $derived(subscriptionStore(…))', false],
  ['Svelte 4 syntax, $: room = subscriptionStore(…)', true],
])('a component in %s', (_name, legacy) => {
  it('follows a prop: leaves the old stream, joins the new one', async () => {
    const server = fakeServer();
    const props = { url: 'ws://dom.test/', options: { WebSocket: server.WebSocket }, legacy };
    const app = svelte.mount(svelte.Parent, { target: document.body, props });
    await server.flush();
    svelte.flushSync();
    expect(text('chat')).toBe('open');
    expect(text('room')).toBe('live ');
    server.publish('room:1', 'chat', { text: 'one' });
    svelte.flushSync();
    expect(text('room')).toBe('live one');

    app.setRoom('2');
    svelte.flushSync();
    await server.flush();
    svelte.flushSync();
    expect(subscribers(server, 'room:1')).toBe(0);
    expect(subscribers(server, 'room:2')).toBe(1);
    expect(text('room')).toBe('live ');
    server.publish('room:2', 'chat', { text: 'two' });
    svelte.flushSync();
    expect(text('room')).toBe('live two');

    await svelte.unmount(app);
    await server.flush();
    expect(server.open).toHaveLength(0); // the socket went with the component
    expect(server.last?.closeRecord?.by).toBe('client');
  });
});
