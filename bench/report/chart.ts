// A dependency-free SVG bar chart of each library's ratio to native, one group per measure.
import type { BenchResults } from '../results';

interface Group {
  title: string;
  bars: { lib: string; ratio: number | null }[];
}

const COLORS: Record<string, string> = {
  native: '#8c8c8c',
  lifeline: '#2a7de1',
  'lifeline (heartbeat on)': '#7fb2ee',
  'lifeline (ReconnectingSocket)': '#1a4f91',
  'reconnecting-websocket': '#e07b39',
  partysocket: '#c94f7c',
  sockette: '#4caf7d',
  'websocket-ts': '#8e6bd1',
  'robust-websocket': '#c7a21f',
};

const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function groupsOf(results: BenchResults): Group[] {
  const pick = (title: string, rows: { lib: string; ratio: number | null }[]) => ({
    title,
    bars: rows.map(({ lib, ratio }) => ({ lib, ratio })),
  });
  return [
    pick('Per-message receive cost (lower is better)', results.perMessage.receive),
    pick('Per-message send cost (lower is better)', results.perMessage.send),
    pick('Throughput, small messages (higher is better)', results.throughput.small),
    pick('Throughput, 1 MiB messages (higher is better)', results.throughput.large),
    pick('Idle heap per connection (lower is better)', results.memory),
  ].filter((group) => group.bars.length > 0);
}

/** The chart as SVG text; ratios above `cap` are drawn cut off with their value written. */
export function renderChart(results: BenchResults, cap = 4): string {
  const groups = groupsOf(results);
  const width = 760;
  const labelWidth = 210;
  const plot = width - labelWidth - 70;
  const bar = 14;
  const max = Math.min(
    cap,
    Math.max(1.2, ...groups.flatMap((g) => g.bars.map((b) => b.ratio ?? 0))),
  );
  const x = (ratio: number) => labelWidth + (Math.min(ratio, max) / max) * plot;
  const parts: string[] = [];
  let y = 40;
  for (const group of groups) {
    parts.push(`<text x="10" y="${y}" font-weight="bold">${escapeXml(group.title)}</text>`);
    y += 8;
    for (const { lib, ratio } of group.bars) {
      const value = ratio === null ? 'n/a' : `${ratio.toFixed(2)}×`;
      const end = ratio === null ? labelWidth : x(ratio);
      parts.push(
        `<text x="${labelWidth - 6}" y="${y + 11}" text-anchor="end">${escapeXml(lib)}</text>`,
        `<rect x="${labelWidth}" y="${y}" width="${(end - labelWidth).toFixed(1)}" height="${bar}" fill="${COLORS[lib] ?? '#555'}"/>`,
        `<text x="${(end + 4).toFixed(1)}" y="${y + 11}">${value}${ratio !== null && ratio > max ? ' ▸' : ''}</text>`,
      );
      y += bar + 4;
    }
    y += 22;
  }
  const height = y;
  const one = x(1).toFixed(1);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="12">
<title>Lifeline and peer libraries relative to the native WebSocket</title>
<rect width="100%" height="100%" fill="#fff"/>
<text x="10" y="20" font-size="14" font-weight="bold">Lifeline and peers relative to native WebSocket (1.0× = native, ${escapeXml(results.config.name)} run)</text>
<line x1="${one}" y1="28" x2="${one}" y2="${height - 10}" stroke="#333" stroke-dasharray="4 3"/>
${parts.join('\n')}
</svg>
`;
}
