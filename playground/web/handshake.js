// The handshake panel: what the dev server saw (its `hello` envelope) and the page's own
// recomputation of Sec-WebSocket-Accept from the key, per RFC 6455 §4.2.2.
import { byTestId, h } from './dom.js';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** base64(SHA-1(key + GUID)), with Web Crypto. */
export async function computeAccept(key) {
  const digest = await crypto.subtle.digest('SHA-1', new TextEncoder().encode(key + GUID));
  return btoa(String.fromCharCode(...new Uint8Array(digest)));
}

const show = (value) => {
  if (value === null || value === undefined || value === '') return '—';
  return Array.isArray(value) ? value.join(', ') || '—' : String(value);
};

/** Renders a `hello` payload and the match indicator. */
export async function renderHandshake(info, socket) {
  const body = byTestId('handshake');
  const match = byTestId('handshake-match');
  let recomputed = '';
  let problem = '';
  try {
    if (!crypto.subtle)
      throw new Error('crypto.subtle needs a secure context (https or localhost)');
    recomputed = await computeAccept(String(info.key ?? ''));
  } catch (error) {
    problem = error instanceof Error ? error.message : String(error);
  }
  const rows = [
    ['Request line', info.requestLine],
    ['Upgrade', info.upgrade],
    ['Connection', info.connection],
    ['Sec-WebSocket-Key', info.key],
    ['Sec-WebSocket-Version', info.version],
    ['Origin', info.origin],
    ['Protocols offered', info.protocols],
    ['Protocol chosen', info.protocol],
    ['Accept (server)', info.accept],
    ['Accept (this page)', problem || recomputed],
    ['Page sees protocol', socket.protocol],
    ['Page sees extensions', socket.extensions],
  ];
  body.replaceChildren(
    ...rows.map(([name, value]) =>
      h(
        'tr',
        {},
        h('th', { scope: 'row', text: name }),
        h('td', {}, h('code', { text: show(value) })),
      ),
    ),
  );
  const ok = !problem && recomputed !== '' && recomputed === info.accept;
  match.dataset.match = String(ok);
  match.textContent = ok ? '✓ accept matches' : '✗ accept mismatch';
}

/** Resets the panel when a new socket is made. */
export function clearHandshake() {
  byTestId('handshake').replaceChildren(
    h(
      'tr',
      {},
      h('td', {
        class: 'hint',
        text: "Waiting for the dev server's hello envelope (other servers do not send one).",
      }),
    ),
  );
  const match = byTestId('handshake-match');
  match.dataset.match = 'none';
  match.textContent = '–';
}
