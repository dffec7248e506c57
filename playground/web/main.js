// The playground page: makes a Lifeline socket from the form and shows everything it does.
import { createRetryChart } from './chart.js';
import { byTestId } from './dom.js';
import { bindFaults } from './faults.js';
import { clearHandshake, renderHandshake } from './handshake.js';
import { createLog } from './log.js';
import { defaultUrl, readOptions } from './options.js';
import { applyQuery, bindOpenTab, watchShare } from './share.js';
import { createStreamPanel, isStreamFrame } from './stream.js';
import { createTimeline } from './timeline.js';

const since = performance.now();
const form = byTestId('options');
const log = createLog(byTestId('log'), since);
const timeline = createTimeline(byTestId('timeline'), since);
const chart = createRetryChart(byTestId('retry-chart'), since);
const badge = byTestId('status');

form.elements.namedItem('url').value = defaultUrl(location);
// A tab opened by "Open another tab" carries the opener's options and connects at once.
const connectNow = applyQuery(form, location.search);

/** The current socket and the settings it was made with. */
let current;

const describe = (data) => {
  if (typeof data === 'string') return data;
  if (data instanceof Blob) return `[binary Blob, ${data.size} bytes]`;
  if (data instanceof ArrayBuffer) return `[binary ArrayBuffer, ${data.byteLength} bytes]`;
  return String(data);
};

const errorText = (error) =>
  error && typeof error === 'object' && 'code' in error
    ? `${error.code}: ${error.message}`
    : String(error?.message ?? error);

function showStatus(status) {
  badge.textContent = status;
  badge.dataset.status = status;
  // Faults go only to an open connection (see faults.js).
  for (const button of document.querySelectorAll('[data-fault]')) {
    button.disabled = status !== 'open';
  }
}

function watch(socket) {
  socket.on('status', (status, previous) => {
    showStatus(status);
    timeline.add('status', `${previous} → ${status}`);
  });
  socket.on('open', ({ attempt, reconnected }) => {
    byTestId('attempt').textContent = String(attempt);
    // `attempt` counts retries: 0 is the first try.
    const how = attempt === 0 ? 'first try' : `retry ${attempt}`;
    timeline.add('open', `${reconnected ? 'reconnected' : 'connected'} on ${how}`);
  });
  socket.on('close', ({ code, reason, wasClean, willReconnect }) => {
    const why = reason ? ` "${reason}"` : '';
    timeline.add(
      'close',
      `code ${code}${why}, ${wasClean ? 'clean' : 'unclean'}, ${willReconnect ? 'will reconnect' : 'final'}`,
    );
  });
  socket.on('reconnecting', ({ attempt, delay }) => {
    byTestId('attempt').textContent = String(attempt);
    timeline.retry(attempt, delay);
    chart.add(attempt, delay);
  });
  socket.on('giveup', ({ attempts }) =>
    timeline.add('giveup', `gave up after ${attempts} attempts`),
  );
  socket.on('drop', ({ reason }) =>
    timeline.add('drop', `a queued message was dropped (${reason})`),
  );
  socket.on('wake', ({ sleptMs }) => timeline.add('wake', `device woke after ${sleptMs} ms`));
  socket.on('error', (error) => timeline.add('error', errorText(error)));
  // Ten ticks a second would bury everything else: stream frames are logged only on request
  // (the Stream panel shows them either way).
  const streamFrames = byTestId('log-stream-frames');
  socket.on('message', (event) => {
    if (!streamFrames.checked && isStreamFrame(event.data)) return;
    log.add('in', describe(event.data));
  });
  socket.onMessage('hello', (info) => {
    renderHandshake(info, socket).catch((error) => log.add('error', errorText(error)));
  });
  watchShare(socket, {
    roleView: byTestId('role'),
    countView: byTestId('server-connections'),
    onError: (error) => log.add('error', `connections: ${errorText(error)}`),
  });
}

function connect() {
  const { url, options } = readOptions(form);
  const key = JSON.stringify({ url, options });
  if (current && current.key === key && current.socket.status !== 'closed') return;
  if (current && current.key === key) {
    current.socket.connect();
    return;
  }
  if (current) {
    current.socket.dispose();
    timeline.stop();
  }
  clearHandshake();
  chart.mark();
  try {
    const socket = new Lifeline.Socket(url, options);
    current = { socket, key };
    watch(socket);
    showStatus(socket.status);
    timeline.add('socket', `new socket for ${url}`);
  } catch (error) {
    current = undefined;
    showStatus('no socket');
    timeline.add('error', errorText(error));
  }
}

function send(action) {
  if (!current) {
    log.add('error', 'no socket: press Connect first');
    return;
  }
  try {
    action(current.socket);
  } catch (error) {
    log.add('error', errorText(error));
  }
}

function readEnvelope() {
  const type = byTestId('json-type').value.trim();
  const raw = byTestId('json-data').value.trim();
  return { type, data: raw === '' ? undefined : JSON.parse(raw) };
}

function bindButtons() {
  byTestId('connect').addEventListener('click', connect);
  byTestId('close').addEventListener('click', () =>
    send((socket) => socket.close(1000, 'closed from the playground')),
  );
  byTestId('reconnect').addEventListener('click', () => send((socket) => socket.reconnect()));
  byTestId('clear-log').addEventListener('click', () => log.clear());

  const textInput = byTestId('send-text-input');
  const sendText = () =>
    send((socket) => {
      const text = textInput.value;
      const result = socket.send(text);
      log.add('out', text, result === 'sent' ? '' : result);
      textInput.value = '';
    });
  byTestId('send-text').addEventListener('click', sendText);
  textInput.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') sendText();
  });

  byTestId('send-json').addEventListener('click', () =>
    send((socket) => {
      const { type, data } = readEnvelope();
      const result = socket.sendJson(type, data);
      log.add(
        'out',
        JSON.stringify({ type, data }),
        `sendJson${result === 'sent' ? '' : `, ${result}`}`,
      );
    }),
  );
  byTestId('send-request').addEventListener('click', () =>
    send((socket) => {
      const { type, data } = readEnvelope();
      const started = performance.now();
      log.add('out', JSON.stringify({ type, data }), 'request');
      socket.request(type, data).then(
        (reply) =>
          log.add(
            'info',
            `reply to ${type}: ${JSON.stringify(reply)}`,
            `${Math.round(performance.now() - started)} ms`,
          ),
        (error) => log.add('error', `request ${type} failed: ${errorText(error)}`),
      );
    }),
  );

  bindOpenTab(byTestId('open-tab'), form);
  bindFaults(document, { getSocket: () => current?.socket, log });
  createStreamPanel({ getSocket: () => current?.socket, log, timeline });
}

// Queue size and latency have no events: sample them.
setInterval(() => {
  const socket = current?.socket;
  byTestId('queued').textContent = socket ? String(socket.queued) : '0';
  const latency = socket?.latency;
  byTestId('latency').textContent = typeof latency === 'number' ? `${Math.round(latency)} ms` : '–';
}, 200);

if (typeof Lifeline === 'undefined') {
  const banner = byTestId('load-error');
  banner.hidden = false;
  banner.textContent =
    'The core bundle /lifeline.iife.min.js did not load. Build it with `pnpm build` (or run `pnpm dev`, which builds and watches it).';
} else {
  bindButtons();
  if (connectNow) connect();
}
