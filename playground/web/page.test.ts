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

/** A form with the page's option fields (`heartbeat` and `share` ticked as asked). */
function optionsForm({ heartbeat = true, share = false } = {}) {
  const form = document.createElement('form');
  const field = (name: string, value: string, type = 'text') => {
    const input = document.createElement(type === 'select' ? 'select' : 'input');
    if (input instanceof HTMLSelectElement) {
      for (const choice of ['full', 'equal', 'none']) {
        const option = document.createElement('option');
        option.value = choice;
        input.append(option);
      }
      input.value = value;
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
  (field('heartbeat', '', 'checkbox') as HTMLInputElement).checked = heartbeat;
  field('heartbeatInterval', '500');
  field('heartbeatTimeout', '250');
  (field('share', '', 'checkbox') as HTMLInputElement).checked = share;
  document.body.append(form);
  return form;
}

describe('options form', () => {
  it('maps the form to Socket options, with an empty maxAttempts meaning Infinity', async () => {
    const { readOptions } = await load('options');
    expect(readOptions(optionsForm())).toEqual({
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

  it('passes share: true only when "share across tabs" is ticked', async () => {
    const { readOptions } = await load('options');
    expect(readOptions(optionsForm({ share: true })).options.share).toBe(true);
    expect(readOptions(optionsForm({ share: false })).options).not.toHaveProperty('share');
  });
});

describe('open another tab', () => {
  it('carries every option through the query string, and asks the new tab to connect', async () => {
    const { optionsToQuery, applyQuery, readOptions } = {
      ...(await load('share')),
      ...(await load('options')),
    };
    const source = optionsForm({ heartbeat: false, share: true });
    (source.elements.namedItem('jitter') as HTMLSelectElement).value = 'none';
    (source.elements.namedItem('url') as HTMLInputElement).value = `ws://${location.host}/ws`;
    const query = optionsToQuery(source);
    expect(new URLSearchParams(query).get('connect')).toBe('1');

    const target = optionsForm({ heartbeat: true, share: false });
    for (const name of ['url', 'initialDelay', 'maxDelay']) {
      (target.elements.namedItem(name) as HTMLInputElement).value = 'changed';
    }
    expect(applyQuery(target, query)).toBe(true);
    expect(readOptions(target)).toEqual(readOptions(source));
    expect(readOptions(target).options).toMatchObject({ share: true, heartbeat: false });
  });

  it('fills in a link to another server, but does not connect to it on its own', async () => {
    const { optionsToQuery, applyQuery } = await load('share');
    const source = optionsForm();
    (source.elements.namedItem('url') as HTMLInputElement).value = 'wss://elsewhere.example/ws';
    const target = optionsForm();
    expect(applyQuery(target, optionsToQuery(source))).toBe(false);
    expect((target.elements.namedItem('url') as HTMLInputElement).value).toBe(
      'wss://elsewhere.example/ws',
    );
  });

  it('leaves the form alone without a query, and does not connect', async () => {
    const { applyQuery, readOptions } = { ...(await load('share')), ...(await load('options')) };
    const form = optionsForm();
    const before = readOptions(form);
    expect(applyQuery(form, '?unknown=1&connect=0')).toBe(false);
    expect(readOptions(form)).toEqual(before);
  });

  it('points the link at this page with the options the form holds at the click', async () => {
    const { bindOpenTab } = await load('share');
    const form = optionsForm({ share: false });
    const link = document.createElement('a');
    bindOpenTab(link, form);
    expect(new URL(link.href).searchParams.get('share')).toBe('0');
    (form.elements.namedItem('share') as HTMLInputElement).checked = true;
    link.dispatchEvent(new MouseEvent('click', { cancelable: true }));
    expect(new URL(link.href).searchParams.get('share')).toBe('1');
    expect(new URL(link.href).pathname).toBe(location.pathname);
  });
});

describe('share view', () => {
  /** Just enough of a Socket: listeners by event, `onMessage` by type, a scripted request. */
  function fakeSocket(role: string, reply: () => Promise<unknown>) {
    const listeners = new Map<string, Array<(value: unknown) => void>>();
    const handlers = new Map<string, (data: unknown) => void>();
    const requests: string[] = [];
    return {
      role,
      requests,
      on(event: string, listener: (value: unknown) => void) {
        listeners.set(event, [...(listeners.get(event) ?? []), listener]);
      },
      onMessage(type: string, handler: (data: unknown) => void) {
        handlers.set(type, handler);
      },
      request(type: string) {
        requests.push(type);
        return reply();
      },
      emit(event: string, value: unknown) {
        for (const listener of listeners.get(event) ?? []) listener(value);
      },
      message(type: string, data: unknown) {
        handlers.get(type)?.(data);
      },
    };
  }

  const views = () => ({
    roleView: document.createElement('b'),
    countView: document.createElement('b'),
    errors: [] as unknown[],
  });

  it('shows the role and follows role events; shows each announced count as text', async () => {
    const { watchShare } = await load('share');
    const socket = fakeSocket('solo', () => Promise.resolve({ count: 1 }));
    const { roleView, countView, errors } = views();
    watchShare(socket, { roleView, countView, onError: (e: unknown) => errors.push(e) });
    expect(roleView.textContent).toBe('solo');
    expect(countView.textContent).toBe('–');
    socket.emit('role', 'follower');
    expect(roleView.textContent).toBe('follower');
    expect(roleView.dataset.role).toBe('follower');
    socket.message('connections', { count: 3 });
    expect(countView.textContent).toBe('3');
    socket.message('connections', { count: '<img src=x>' });
    expect(countView.textContent).toBe('?');
    expect(countView.children).toHaveLength(0);
    expect(errors).toEqual([]);
  });

  it('asks for the count on every open (a follower missed the announcement)', async () => {
    const { watchShare } = await load('share');
    let count = 1;
    const socket = fakeSocket('follower', () => Promise.resolve({ count: count++ }));
    const { roleView, countView, errors } = views();
    watchShare(socket, { roleView, countView, onError: (e: unknown) => errors.push(e) });
    socket.emit('open', { attempt: 0 });
    await Promise.resolve();
    expect(countView.textContent).toBe('1');
    socket.emit('open', { attempt: 1 });
    await Promise.resolve();
    expect(countView.textContent).toBe('2');
    expect(socket.requests).toEqual(['connections', 'connections']);
    expect(errors).toEqual([]);
  });

  it('reports a failed count request, except a server without it or a closed socket', async () => {
    const { watchShare } = await load('share');
    const failures = [
      { code: 'ERR_REMOTE', remote: { code: 'UNKNOWN_TYPE', message: 'no' } },
      { code: 'ERR_CLOSED' },
      { code: 'ERR_TIMEOUT' },
    ];
    const socket = fakeSocket('solo', () => Promise.reject(failures.shift()));
    const { roleView, countView, errors } = views();
    watchShare(socket, { roleView, countView, onError: (e: unknown) => errors.push(e) });
    for (let i = 0; i < 3; i++) socket.emit('open', { attempt: i });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(errors).toEqual([{ code: 'ERR_TIMEOUT' }]);
    expect(countView.textContent).toBe('–');
  });
});
