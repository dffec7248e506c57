// The page's modules in happy-dom. They are plain JS with no type declarations, so they are
// imported through a path variable (typed `any`) rather than a static import.
import { beforeEach, describe, expect, it } from 'vitest';

// biome-ignore lint/suspicious/noExplicitAny: untyped browser modules
const load = (name: string): Promise<any> => import(/* @vite-ignore */ `./${name}.js`);

const nextFrame = () => new Promise((resolve) => requestAnimationFrame(resolve));

beforeEach(() => {
  document.body.replaceChildren();
});

describe('computeAccept (Web Crypto)', () => {
  it('answers the RFC 6455 sample key with the sample accept', async () => {
    const { computeAccept } = await load('handshake');
    expect(await computeAccept('dGhlIHNhbXBsZSBub25jZQ==')).toBe('s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
  });
});

describe('message log', () => {
  it('renders markup as text, never as elements', async () => {
    const { createLog } = await load('log');
    const list = document.createElement('ol');
    document.body.append(list);
    const log = createLog(list, performance.now());
    log.add('in', '<img src=x onerror=alert(1)><b>bold</b>');
    await nextFrame();
    expect(list.querySelector('img, b')).toBeNull();
    expect(list.querySelector('code')?.textContent).toBe('<img src=x onerror=alert(1)><b>bold</b>');
  });

  it('keeps only the last 300 rows', async () => {
    const { createLog } = await load('log');
    const list = document.createElement('ol');
    const log = createLog(list, performance.now());
    for (let i = 1; i <= 1000; i++) log.add('in', `message ${i}`);
    await nextFrame();
    expect(list.children).toHaveLength(300);
    expect(list.lastElementChild?.querySelector('code')?.textContent).toBe('message 1000');
  });
});

describe('retry chart', () => {
  it('draws one point per retry and a line through a socket’s retries', async () => {
    const { createRetryChart } = await load('chart');
    const container = document.createElement('div');
    const chart = createRetryChart(container, performance.now());
    expect(container.querySelectorAll('circle')).toHaveLength(0);
    chart.add(1, 1000);
    chart.add(2, 2000);
    expect(container.querySelectorAll('[data-testid="retry-point"]')).toHaveLength(2);
    expect(container.querySelectorAll('polyline')).toHaveLength(1);
    chart.mark();
    chart.add(1, 500);
    expect(container.querySelectorAll('circle')).toHaveLength(3);
    // The new socket's single retry is not joined to the old socket's line.
    expect(container.querySelectorAll('polyline')).toHaveLength(1);
    expect(container.querySelectorAll('line.mark')).toHaveLength(1);
  });
});

describe('options form', () => {
  it('maps the form to Socket options, with an empty maxAttempts meaning Infinity', async () => {
    const { readOptions } = await load('options');
    const form = document.createElement('form');
    const field = (name: string, value: string, type = 'text') => {
      const input = document.createElement(type === 'select' ? 'select' : 'input');
      if (input instanceof HTMLSelectElement) {
        const option = document.createElement('option');
        option.value = value;
        input.append(option);
      } else {
        input.type = type;
        input.value = value;
      }
      input.name = name;
      form.append(input);
      return input;
    };
    field('url', ' ws://example.test/ws ');
    field('initialDelay', '100');
    field('maxDelay', '2000');
    field('factor', '1.5');
    field('jitter', 'equal', 'select');
    field('maxAttempts', '');
    field('connectTimeout', '3000');
    (field('heartbeat', '', 'checkbox') as HTMLInputElement).checked = true;
    field('heartbeatInterval', '500');
    field('heartbeatTimeout', '250');
    expect(readOptions(form)).toEqual({
      url: 'ws://example.test/ws',
      options: {
        connectTimeout: 3000,
        reconnect: {
          initialDelay: 100,
          maxDelay: 2000,
          factor: 1.5,
          jitter: 'equal',
          maxAttempts: Number.POSITIVE_INFINITY,
        },
        heartbeat: { interval: 500, timeout: 250 },
      },
    });
  });
});
