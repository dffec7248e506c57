// Tiny DOM helpers. Everything from the network goes through text nodes, never HTML parsing.

/** The element with `data-testid="<id>"`; throws when the page lacks it. */
export function byTestId(id, root = document) {
  const element = root.querySelector(`[data-testid="${id}"]`);
  if (!element) throw new Error(`playground: no element [data-testid="${id}"]`);
  return element;
}

/**
 * Creates an HTML element. `attrs` become attributes (`text` sets textContent);
 * string children become text nodes.
 */
export function h(tag, attrs = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (name === 'text') element.textContent = String(value);
    else if (value !== undefined && value !== false) element.setAttribute(name, String(value));
  }
  for (const child of children) {
    element.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return element;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Creates an SVG element with attributes; `text` sets its text content. */
export function s(tag, attrs = {}) {
  const element = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (name === 'text') element.textContent = String(value);
    else element.setAttribute(name, String(value));
  }
  return element;
}

/** `12.345` seconds since `since`, for timestamps. */
export function elapsed(since, now = performance.now()) {
  return `+${((now - since) / 1000).toFixed(3)}s`;
}
