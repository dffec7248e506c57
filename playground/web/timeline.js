// The event timeline: one row per socket event, with a live countdown to the next retry.
import { elapsed, h } from './dom.js';

const MAX_ROWS = 200;

/** A timeline bound to the `<ol>` `list`; `since` is the page's time origin. */
export function createTimeline(list, since) {
  let countdown;

  const stopCountdown = (final) => {
    if (!countdown) return;
    clearInterval(countdown.timer);
    countdown.label.textContent = final;
    countdown = undefined;
  };

  const add = (kind, text) => {
    const label = h('span', { class: 'text', text });
    const row = h(
      'li',
      { 'data-kind': kind },
      h('span', { class: 'time', text: elapsed(since) }),
      h('span', { class: `kind kind-${kind}`, text: kind }),
      label,
    );
    list.append(row);
    while (list.childElementCount > MAX_ROWS) list.firstElementChild.remove();
    list.scrollTop = list.scrollHeight;
    return label;
  };

  return {
    add(kind, text) {
      // Any later socket event means the retry wait is over (or was cut short).
      if (kind !== 'status' && kind !== 'stream') stopCountdown(countdown?.done ?? '');
      add(kind, text);
    },
    /** A `reconnecting` row whose text counts down to the retry. */
    retry(attempt, delay) {
      stopCountdown(countdown?.done ?? '');
      const prefix = `attempt ${attempt} scheduled in ${Math.round(delay)} ms`;
      const label = add('reconnecting', prefix);
      const due = performance.now() + delay;
      const done = `${prefix} (waited)`;
      const tick = () => {
        const left = due - performance.now();
        if (left <= 0) stopCountdown(done);
        else label.textContent = `${prefix}, next retry in ${(left / 1000).toFixed(1)} s`;
      };
      countdown = { timer: setInterval(tick, 100), label, done };
      tick();
    },
    /** Stops the countdown, e.g. when the socket is disposed. */
    stop() {
      stopCountdown(countdown?.done ?? '');
    },
  };
}
