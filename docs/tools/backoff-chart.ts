// Draws docs/concepts/backoff-chart.svg: the reconnect delay of attempts 1–10 under the default
// policy (initialDelay 1000, factor 2, maxDelay 30000) for each jitter mode, plus sampled
// full-jitter delays. The samples use a seeded generator, so the output is byte-stable and a
// test can check the committed SVG is current. Regenerate: `npx tsx docs/tools/backoff-chart.ts`.
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

export const policy = { initialDelay: 1000, factor: 2, maxDelay: 30_000 };
const attempts = 10;
const samplesPerAttempt = 12;

/** DESIGN §2: cap = min(maxDelay, initialDelay * factor^(n-1)). */
export const cap = (attempt: number) =>
  Math.min(policy.maxDelay, policy.initialDelay * policy.factor ** (attempt - 1));

/** mulberry32: a tiny seeded PRNG, good enough to scatter dots. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function renderBackoffChart(): string {
  const width = 780;
  const height = 380;
  const left = 64;
  const right = 220;
  const top = 40;
  const bottom = 56;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const yMax = 32_000;
  const slot = plotW / attempts;
  const x = (attempt: number) => left + slot * (attempt - 0.5);
  const y = (ms: number) => top + plotH - (ms / yMax) * plotH;
  const f = (n: number) => n.toFixed(1);
  const random = seeded(2024);
  const parts: string[] = [];

  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="title desc" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="12">`,
    '<title id="title">Reconnect delay per attempt</title>',
    '<desc id="desc">Delay cap doubles from 1 s to the 30 s maximum; full jitter draws uniformly below the cap, equal jitter in its upper half.</desc>',
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${left}" y="24" font-size="15" font-weight="600" fill="#1f2933">Delay before reconnect attempt n (defaults: 1 s × 2ⁿ⁻¹, max 30 s)</text>`,
  );
  // Grid and y axis labels every 5 s.
  for (let ms = 0; ms <= 30_000; ms += 5000) {
    parts.push(
      `<line x1="${left}" x2="${left + plotW}" y1="${f(y(ms))}" y2="${f(y(ms))}" stroke="#e4e7eb"/>`,
      `<text x="${left - 8}" y="${f(y(ms) + 4)}" text-anchor="end" fill="#52606d">${ms / 1000} s</text>`,
    );
  }
  for (let n = 1; n <= attempts; n++) {
    const c = cap(n);
    const barX = x(n) - slot * 0.35;
    const barW = slot * 0.7;
    // Full jitter: anywhere in [0, cap]. Equal jitter: [cap/2, cap].
    parts.push(
      `<rect x="${f(barX)}" y="${f(y(c))}" width="${f(barW)}" height="${f(y(0) - y(c))}" fill="#cfe5ff"/>`,
      `<rect x="${f(barX)}" y="${f(y(c))}" width="${f(barW)}" height="${f(y(c / 2) - y(c))}" fill="#7fb4f0"/>`,
      `<text x="${f(x(n))}" y="${f(top + plotH + 18)}" text-anchor="middle" fill="#52606d">${n}</text>`,
    );
    for (let i = 0; i < samplesPerAttempt; i++) {
      const dx = (i / (samplesPerAttempt - 1) - 0.5) * barW * 0.8;
      parts.push(
        `<circle cx="${f(x(n) + dx)}" cy="${f(y(random() * c))}" r="2.5" fill="#1d4f91"/>`,
      );
    }
  }
  // No jitter: exactly the cap.
  const line = Array.from({ length: attempts }, (_, i) => `${f(x(i + 1))},${f(y(cap(i + 1)))}`);
  parts.push(
    `<polyline points="${line.join(' ')}" fill="none" stroke="#c2410c" stroke-width="2"/>`,
    ...line.map((point) => {
      const [cx, cy] = point.split(',');
      return `<circle cx="${cx}" cy="${cy}" r="3.5" fill="#c2410c"/>`;
    }),
    `<line x1="${left}" x2="${left}" y1="${top}" y2="${top + plotH}" stroke="#9aa5b1"/>`,
    `<line x1="${left}" x2="${left + plotW}" y1="${top + plotH}" y2="${top + plotH}" stroke="#9aa5b1"/>`,
    `<text x="${left + plotW / 2}" y="${height - 16}" text-anchor="middle" fill="#1f2933">attempt n (the counter resets after a connection stays open 5 s)</text>`,
  );
  // Legend.
  const lx = left + plotW + 20;
  const legend: [string, string][] = [
    ['#c2410c', "'none': the cap itself"],
    ['#7fb4f0', "'equal': cap/2 … cap"],
    ['#cfe5ff', "'full' (default): 0 … cap"],
    ['#1d4f91', 'full-jitter samples'],
  ];
  legend.forEach(([color, label], i) => {
    const ly = top + 10 + i * 24;
    parts.push(
      i === 3
        ? `<circle cx="${lx + 7}" cy="${ly}" r="3.5" fill="${color}"/>`
        : `<rect x="${lx}" y="${ly - 7}" width="14" height="14" fill="${color}"/>`,
      `<text x="${lx + 22}" y="${ly + 4}" fill="#1f2933">${label.replace(/'/g, '&#39;')}</text>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

export const chartFile = new URL('../concepts/backoff-chart.svg', import.meta.url);

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeFileSync(chartFile, renderBackoffChart());
  console.log(`wrote ${chartFile.pathname}`);
}
