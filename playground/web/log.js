// The message log: every frame in or out, rendered strictly as text. Rows are batched per
// animation frame and capped, so a flood of thousands of messages keeps the page responsive.
import { elapsed, h } from './dom.js';

const MAX_ROWS = 300;
const MAX_CHARS = 2000;

const ARROWS = { in: '↓', out: '↑', info: '•', error: '!' };

/** A log bound to the `<ol>` `list`; `since` is the page's time origin for timestamps. */
export function createLog(list, since) {
  let pending = [];
  let scheduled = false;

  // Rows are built only for what will be shown: a flood of 10 000 costs 300 elements.
  const flush = () => {
    scheduled = false;
    const rows = pending
      .slice(-MAX_ROWS)
      .map(({ direction, text, note, time }) =>
        h(
          'li',
          { class: `log-${direction}`, 'data-direction': direction },
          h('span', { class: 'time', text: time }),
          h('span', { class: 'arrow', text: ARROWS[direction] ?? '?' }),
          h('code', { 'data-testid': 'log-text', text }),
          note ? h('span', { class: 'note', text: note }) : '',
        ),
      );
    pending = [];
    list.append(...rows);
    while (list.childElementCount > MAX_ROWS) list.firstElementChild.remove();
    list.scrollTop = list.scrollHeight;
  };

  return {
    /** Adds a row; `direction` is 'in' | 'out' | 'info' | 'error'. */
    add(direction, text, note = '') {
      const shown =
        text.length > MAX_CHARS ? `${text.slice(0, MAX_CHARS)}… (${text.length} chars)` : text;
      pending.push({ direction, text: shown, note, time: elapsed(since) });
      if (!scheduled) {
        scheduled = true;
        requestAnimationFrame(flush);
      }
    },
    clear() {
      pending = [];
      list.replaceChildren();
    },
  };
}
