// Markdown tables with columns padded, so the same text reads well in a terminal and on GitHub.

/** A Markdown table; columns whose header starts with a space are right-aligned. */
export function table(headers: string[], rows: string[][]): string {
  const right = headers.map((header) => header.startsWith(' '));
  const cells = [headers.map((h) => h.trim()), ...rows];
  const widths = headers.map((_, col) =>
    Math.max(3, ...cells.map((row) => (row[col] ?? '').length)),
  );
  const line = (row: string[]) =>
    `| ${row.map((cell, col) => (right[col] ? cell.padStart(widths[col]!) : cell.padEnd(widths[col]!))).join(' | ')} |`;
  const rule = `| ${widths.map((width, col) => (right[col] ? `${'-'.repeat(width - 1)}:` : '-'.repeat(width))).join(' | ')} |`;
  return [line(cells[0]!), rule, ...rows.map(line)].join('\n');
}
