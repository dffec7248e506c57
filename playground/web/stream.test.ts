// The Stream panel in happy-dom, with a stand-in for core's Subscription (core's own tests
// cover the real one; the Chromium test drives both together).
import { beforeEach, describe, expect, it } from 'vitest';

// biome-ignore lint/suspicious/noExplicitAny: untyped browser module
const load = (): Promise<any> => import(/* @vite-ignore */ './stream.js' as string);
const nextFrame = () => new Promise((resolve) => requestAnimationFrame(resolve));

/** Just enough of a Subscription: status, position, on() and a way to fire events. */
function fakeSubscription(stream: string) {
  const listeners = new Map<string, Array<(...args: unknown[]) => void>>();
  const subscription = {
    stream,
    status: 'subscribing',
    position: undefined as { epoch: string; seq: string } | undefined,
    on(name: string, listener: (...args: unknown[]) => void) {
      listeners.set(name, [...(listeners.get(name) ?? []), listener]);
    },
    unsubscribe() {
      subscription.status = 'closed';
      listeners.clear();
    },
    fire(name: string, ...args: unknown[]) {
      for (const listener of listeners.get(name) ?? []) listener(...args);
    },
    deliver(epoch: string, seq: string, data: unknown) {
      subscription.position = { epoch, seq };
      subscription.fire('message', data, { type: 'tick', stream, epoch, seq, data });
    },
  };
  return subscription;
}

const html = `
  <input data-testid="stream-name" value="ticks" />
  <button data-testid="stream-subscribe"></button>
  <button data-testid="stream-unsubscribe"></button>
  ${['status', 'position', 'received', 'missed', 'gaps', 'resyncs', 'repeated', 'range']
    .map((name) => `<span data-testid="stream-${name}"></span>`)
    .join('')}
  <ol data-testid="stream-messages"></ol>`;

const shown = (name: string) =>
  document.querySelector(`[data-testid="stream-${name}"]`)?.textContent;

async function mount() {
  document.body.innerHTML = html;
  const { createStreamPanel } = await load();
  const made: ReturnType<typeof fakeSubscription>[] = [];
  const socket = {
    subscribe(stream: string) {
      const subscription = fakeSubscription(stream);
      made.push(subscription);
      return subscription;
    },
  };
  const rows: string[] = [];
  const log = { add: (_direction: string, text: string) => rows.push(text) };
  const timeline = { add: (_kind: string, text: string) => rows.push(text) };
  createStreamPanel({ getSocket: () => socket, log, timeline });
  return { made, rows };
}

beforeEach(() => {
  document.body.replaceChildren();
});

describe('Stream panel', () => {
  it('subscribes to the named stream and counts what the app received', async () => {
    const { made } = await mount();
    (document.querySelector('[data-testid="stream-subscribe"]') as HTMLButtonElement).click();
    const subscription = made[0]!;
    expect(subscription.stream).toBe('ticks');
    subscription.status = 'live';
    subscription.fire('status', 'live', 'subscribing');
    for (const seq of ['11', '12', '14']) subscription.deliver('epoch-0123456789', seq, { n: seq });
    subscription.fire('gap', { from: '13', to: '13' });
    await nextFrame();
    expect(shown('status')).toBe('live');
    expect(shown('received')).toBe('3');
    expect(shown('missed')).toBe('1');
    expect(shown('gaps')).toBe('1');
    expect(shown('range')).toBe('11–14');
    expect(shown('position')).toBe('epoch-01…/14');
    expect(document.querySelectorAll('[data-testid="stream-message"]')).toHaveLength(3);
  });

  it('renders message data as text, never as markup, and keeps the last 8', async () => {
    const { made } = await mount();
    (document.querySelector('[data-testid="stream-subscribe"]') as HTMLButtonElement).click();
    for (let seq = 1; seq <= 20; seq++) {
      made[0]!.deliver('e', String(seq), { html: '<img src=x onerror=alert(1)>' });
    }
    await nextFrame();
    const messages = document.querySelectorAll('[data-testid="stream-message"]');
    expect(messages).toHaveLength(8);
    expect(messages[7]?.textContent).toBe('#20 tick {"html":"<img src=x onerror=alert(1)>"}');
    expect(document.querySelector('img')).toBeNull();
  });

  it('unsubscribes, and a new subscribe starts a fresh count', async () => {
    const { made } = await mount();
    const click = (id: string) =>
      (document.querySelector(`[data-testid="stream-${id}"]`) as HTMLButtonElement).click();
    click('subscribe');
    made[0]!.deliver('e', '1', {});
    click('unsubscribe');
    await nextFrame();
    expect(made[0]!.status).toBe('closed');
    expect(shown('status')).toBe('closed');
    click('subscribe');
    await nextFrame();
    expect(made).toHaveLength(2);
    expect(shown('received')).toBe('0');
  });
});

describe('isStreamFrame', () => {
  it.each([
    ['{"type":"tick","stream":"ticks","epoch":"e","seq":"1","data":{}}', true],
    ['{"type":"subscribe","re":"1","data":{"stream":"ticks"}}', false],
    ['{"type":"echo","data":"\\"stream\\""}', false],
    ['plain "stream" text', false],
  ])('%s → %s', async (frame, expected) => {
    const { isStreamFrame } = await load();
    expect(isStreamFrame(frame)).toBe(expected);
  });
});
