// Reads the options form into Socket options (DESIGN §2). Lifeline validates them: a bad
// value comes back as ERR_INVALID_OPTION, which the page shows.

const number = (form, name) => {
  const raw = form.elements.namedItem(name).value.trim();
  return raw === '' ? undefined : Number(raw);
};

/** The dev server's endpoint on this page's origin. */
export function defaultUrl(location) {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
}

/** `{ url, options }` from the form. */
export function readOptions(form) {
  const heartbeat = form.elements.namedItem('heartbeat').checked;
  const share = form.elements.namedItem('share').checked;
  const maxAttempts = number(form, 'maxAttempts');
  return {
    url: form.elements.namedItem('url').value.trim(),
    options: {
      connectTimeout: number(form, 'connectTimeout'),
      reconnect: {
        initialDelay: number(form, 'initialDelay'),
        maxDelay: number(form, 'maxDelay'),
        factor: number(form, 'factor'),
        jitter: form.elements.namedItem('jitter').value,
        maxAttempts: maxAttempts ?? Number.POSITIVE_INFINITY,
      },
      heartbeat: heartbeat
        ? {
            interval: number(form, 'heartbeatInterval'),
            timeout: number(form, 'heartbeatTimeout'),
          }
        : false,
      // One connection for the page's tabs (docs/concepts/sharing.md); off: one per tab.
      ...(share ? { share: true } : {}),
    },
  };
}
