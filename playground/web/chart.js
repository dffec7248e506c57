// A chart of retry delays over time: one point per `reconnecting` event (x: when it was
// scheduled, y: its delay), drawn as inline SVG with DOM APIs.
import { s } from './dom.js';

const PAD = { left: 52, right: 12, top: 12, bottom: 28 };

const niceMax = (value) => {
  const step = 10 ** Math.floor(Math.log10(Math.max(value, 1)));
  return Math.ceil(value / step) * step;
};

/** `points` grouped by the interval between `marks` they fall in. */
function splitAt(points, marks) {
  const groups = new Map();
  for (const p of points) {
    const index = marks.filter((t) => t <= p.t).length;
    groups.set(index, [...(groups.get(index) ?? []), p]);
  }
  return [...groups.values()];
}

/** A chart inside `container`; `since` is the page's time origin. */
export function createRetryChart(container, since) {
  const points = [];
  /** Times (s) at which a new socket was made: drawn as dashed lines. */
  const marks = [];
  const svg = s('svg', {
    role: 'img',
    'aria-label': 'Retry delay by time',
    class: 'chart-svg',
  });
  container.replaceChildren(svg);

  // The viewBox follows the container's size, so text keeps its size at any width.
  const draw = () => {
    const WIDTH = Math.max(container.clientWidth, 200);
    const HEIGHT = Math.max(container.clientHeight, 120);
    svg.setAttribute('viewBox', `0 0 ${WIDTH} ${HEIGHT}`);
    const x0 = PAD.left;
    const y0 = HEIGHT - PAD.bottom;
    const plotW = WIDTH - PAD.left - PAD.right;
    const plotH = HEIGHT - PAD.top - PAD.bottom;
    const tMax = Math.max(10, ...points.map((p) => p.t), ...marks);
    const dMax = niceMax(Math.max(1000, ...points.map((p) => p.delay)));
    const x = (t) => x0 + (t / tMax) * plotW;
    const y = (d) => y0 - (d / dMax) * plotH;

    const children = [];
    for (const fraction of [0, 0.5, 1]) {
      const value = dMax * fraction;
      children.push(
        s('line', { x1: x0, x2: WIDTH - PAD.right, y1: y(value), y2: y(value), class: 'grid' }),
        s('text', {
          x: x0 - 6,
          y: y(value) + 4,
          'text-anchor': 'end',
          class: 'axis',
          text: `${Math.round(value)} ms`,
        }),
      );
    }
    children.push(
      s('text', { x: x0, y: HEIGHT - 8, class: 'axis', text: '0 s' }),
      s('text', {
        x: WIDTH - PAD.right,
        y: HEIGHT - 8,
        'text-anchor': 'end',
        class: 'axis',
        text: `${tMax.toFixed(1)} s`,
      }),
    );
    for (const t of marks) {
      children.push(s('line', { x1: x(t), x2: x(t), y1: PAD.top, y2: y0, class: 'mark' }));
    }
    if (points.length === 0) {
      children.push(
        s('text', {
          x: x0 + plotW / 2,
          y: PAD.top + plotH / 2,
          'text-anchor': 'middle',
          class: 'empty',
          text: 'no retries yet',
        }),
      );
    }
    // One line per socket: retries of different sockets are not one series.
    for (const series of splitAt(points, marks)) {
      if (series.length < 2) continue;
      const path = series.map((p) => `${x(p.t).toFixed(1)},${y(p.delay).toFixed(1)}`).join(' ');
      children.push(s('polyline', { points: path, class: 'line' }));
    }
    for (const p of points) {
      const dot = s('circle', {
        cx: x(p.t),
        cy: y(p.delay),
        r: 4,
        class: 'point',
        'data-testid': 'retry-point',
      });
      dot.append(
        s('title', {
          text: `attempt ${p.attempt}: ${Math.round(p.delay)} ms at ${p.t.toFixed(1)} s`,
        }),
      );
      children.push(dot);
    }
    svg.replaceChildren(...children);
  };

  draw();
  new ResizeObserver(draw).observe(container);
  return {
    add(attempt, delay) {
      points.push({ attempt, delay, t: (performance.now() - since) / 1000 });
      draw();
    },
    /** Marks the moment a new socket was made. */
    mark() {
      marks.push((performance.now() - since) / 1000);
      draw();
    },
  };
}
