// The Stream panel: subscribes the current socket to a stream (DESIGN §8) and shows its
// status, position, the library's gap and resync events, and the page's own count of what
// the app received (stream-tally.js). Everything from the wire is rendered as text.
import { byTestId, h } from './dom.js';
import { createStreamTally } from './stream-tally.js';

/** How many of the latest messages the panel lists. */
const SHOWN = 8;
const MAX_CHARS = 200;

/** True for a text frame that is a stream message (`stream`, `epoch` and `seq` present). */
export function isStreamFrame(data) {
  if (typeof data !== 'string' || !data.includes('"stream"')) return false;
  try {
    const frame = JSON.parse(data);
    return typeof frame?.stream === 'string' && typeof frame.seq === 'string';
  } catch {
    return false;
  }
}

/** `epoch/seq`, with a long epoch shortened (the full one is in the element's title). */
export function describePosition(position) {
  if (!position) return '–';
  const { epoch, seq } = position;
  return `${epoch.length > 10 ? `${epoch.slice(0, 8)}…` : epoch}/${seq}`;
}

/**
 * Wires the panel. `getSocket()` gives the page's current socket; `log` and `timeline` are the
 * page's message log and timeline (errors and stream events go there).
 */
export function createStreamPanel({ getSocket, log, timeline }) {
  const nameInput = byTestId('stream-name');
  const subscribeButton = byTestId('stream-subscribe');
  const unsubscribeButton = byTestId('stream-unsubscribe');
  const fields = Object.fromEntries(
    ['status', 'position', 'received', 'missed', 'gaps', 'resyncs', 'repeated', 'range'].map(
      (name) => [name, byTestId(`stream-${name}`)],
    ),
  );
  const list = byTestId('stream-messages');

  /** The subscription on show and what it has delivered. */
  let current;
  let scheduled = false;

  // Counts change on every message (a replay may bring a thousand at once): draw once a frame.
  const render = () => {
    scheduled = false;
    const state = current;
    const status = state ? state.subscription.status : 'none';
    fields.status.textContent = state ? status : '–';
    fields.status.dataset.status = status;
    unsubscribeButton.disabled = !state || status === 'closed';
    if (!state) return;
    const position = state.subscription.position;
    fields.position.textContent = describePosition(position);
    fields.position.title = position ? `${position.epoch}/${position.seq}` : '';
    const tally = state.tally.snapshot();
    fields.received.textContent = String(tally.received);
    fields.missed.textContent = tally.missed;
    fields.missed.dataset.bad = String(tally.missed !== '0');
    fields.repeated.textContent = String(tally.repeated);
    fields.gaps.textContent = String(state.gaps);
    fields.resyncs.textContent = String(state.resyncs);
    fields.range.textContent = tally.first === undefined ? '–' : `${tally.first}–${tally.last}`;
    fields.range.dataset.first = tally.first ?? '';
    fields.range.dataset.last = tally.last ?? '';
    fields.range.dataset.epoch = tally.epoch ?? '';
    list.replaceChildren(
      ...state.recent.map((text) =>
        h('li', {}, h('code', { 'data-testid': 'stream-message', text })),
      ),
    );
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(render);
  };

  const subscribe = () => {
    const socket = getSocket();
    if (!socket) {
      log.add('error', 'no socket: press Connect first');
      return;
    }
    const stream = nameInput.value.trim();
    const live = current && current.subscription.status !== 'closed';
    if (live && current.stream === stream && current.socket === socket) return;
    if (live) current.subscription.unsubscribe();
    let subscription;
    try {
      subscription = socket.subscribe(stream);
    } catch (error) {
      log.add(
        'error',
        `subscribe ${JSON.stringify(stream)}: ${error?.code ?? ''} ${error?.message ?? error}`,
      );
      return;
    }
    const state = {
      stream,
      socket,
      subscription,
      tally: createStreamTally(),
      gaps: 0,
      resyncs: 0,
      recent: [],
    };
    current = state;
    const event = (text) => timeline.add('stream', `${stream}: ${text}`);
    subscription.on('message', (data, message) => {
      try {
        state.tally.deliver(message.epoch, message.seq);
      } catch (error) {
        log.add('error', String(error?.message ?? error));
      }
      const text = `#${message.seq} ${message.type} ${JSON.stringify(data)}`;
      state.recent.push(text.length > MAX_CHARS ? `${text.slice(0, MAX_CHARS)}…` : text);
      if (state.recent.length > SHOWN) state.recent.shift();
      schedule();
    });
    subscription.on('gap', ({ from, to }) => {
      state.gaps++;
      event(`gap, seqs ${from}–${to} missing: fetching them again`);
      schedule();
    });
    subscription.on('resync', ({ position }) => {
      state.resyncs++;
      event(`resync at ${position.epoch}/${position.seq}: history lost, the app reloads its state`);
      schedule();
    });
    subscription.on('status', (status, previous) => {
      event(`${previous} → ${status}`);
      schedule();
    });
    subscription.on('error', (error) => {
      log.add(
        'error',
        `subscription to ${stream} refused: ${error?.code ?? ''} ${error?.message ?? error}`,
      );
      schedule();
    });
    event('subscribe');
    render(); // at once: the unsubscribe button must work before the next frame
  };

  subscribeButton.addEventListener('click', subscribe);
  nameInput.addEventListener('keydown', (keyEvent) => {
    if (keyEvent.key === 'Enter') subscribe();
  });
  unsubscribeButton.addEventListener('click', () => {
    current?.subscription.unsubscribe();
    schedule();
  });
  render();
}
