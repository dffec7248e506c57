// Sharing one connection across tabs (`share`, docs/concepts/sharing.md): the tab's role,
// the server's connection count, and "Open another tab", which opens this page with the same
// options in the query string and connects it at once.

/** Query parameter that makes a page opened by "Open another tab" connect on load. */
const CONNECT_PARAM = 'connect';

const namedFields = (form) => [...form.elements].filter((field) => field.name);

/** The form's fields as a query string, plus `connect=1`. */
export function optionsToQuery(form) {
  const params = new URLSearchParams();
  for (const field of namedFields(form)) {
    params.set(field.name, field.type === 'checkbox' ? (field.checked ? '1' : '0') : field.value);
  }
  params.set(CONNECT_PARAM, '1');
  return `?${params}`;
}

/**
 * Fills the form from a query string made by `optionsToQuery` (unknown names are ignored;
 * values only ever become field values). Returns whether the page should connect now: asked
 * for, and to this page's own host.
 */
export function applyQuery(form, search) {
  const params = new URLSearchParams(search);
  for (const field of namedFields(form)) {
    const value = params.get(field.name);
    if (value === null) continue;
    if (field.type === 'checkbox') field.checked = value === '1';
    else field.value = value;
  }
  // A link alone never makes the page connect to another server: only to this page's host.
  return params.get(CONNECT_PARAM) === '1' && onThisHost(form.elements.namedItem('url')?.value);
}

/** Whether `url` (absolute or relative) points at the host that served this page. */
function onThisHost(url) {
  try {
    return new URL(url ?? '', location.href).host === location.host;
  } catch {
    return false;
  }
}

/** Keeps `link` (target=_blank) pointing at this page with the form's current options. */
export function bindOpenTab(link, form) {
  const update = () => {
    link.href = `${location.pathname}${optionsToQuery(form)}`;
  };
  update();
  form.addEventListener('input', update);
  form.addEventListener('change', update);
  // Fields the page fills in by script fire no event: read the form again at the click.
  link.addEventListener('click', update);
}

/**
 * Shows `socket.role` in `roleView` (and on each `role` event) and the server's connection
 * count in `countView`: from the dev server's `connections` event, and asked for on every
 * open, since a tab that joins a shared connection missed the last announcement.
 */
export function watchShare(socket, { roleView, countView, onError }) {
  const showRole = (role) => {
    roleView.textContent = role;
    roleView.dataset.role = role;
  };
  const showCount = (data) => {
    const count = data?.count;
    countView.textContent = Number.isSafeInteger(count) && count >= 0 ? String(count) : '?';
  };
  showRole(socket.role);
  countView.textContent = '–';
  socket.on('role', showRole);
  socket.onMessage('connections', showCount);
  socket.on('open', () => {
    socket.request('connections').then(showCount, (error) => {
      // Servers other than the dev server have no such request, and a socket that closes
      // meanwhile is on the timeline already: neither is worth an error row.
      if (error?.remote?.code === 'UNKNOWN_TYPE') countView.textContent = '–';
      else if (error?.code !== 'ERR_CLOSED' && error?.code !== 'ERR_ABORTED') onError(error);
    });
  });
}
