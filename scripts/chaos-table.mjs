#!/usr/bin/env node
// Copies the table of the last chaos run (.reports/chaos-summary.md, written by
// test/support/chaos-report.ts) into docs/reliability.md between its markers, so the published
// page shows what the suite measured. Run after `pnpm test chaos e2e` (or a full `pnpm test`).
import { readFileSync, writeFileSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
const summary = readFileSync(`${root}.reports/chaos-summary.md`, 'utf8');
const table = summary.slice(summary.indexOf('| scenario')).trim();
if (!table.startsWith('| scenario')) throw new Error('.reports/chaos-summary.md has no table');

const page = `${root}docs/reliability.md`;
const text = readFileSync(page, 'utf8');
const start = '<!-- chaos-table:start -->';
const end = '<!-- chaos-table:end -->';
const [before, rest] = text.split(start);
if (rest === undefined || !rest.includes(end)) throw new Error(`${page} lacks the table markers`);
const after = rest.slice(rest.indexOf(end));
writeFileSync(page, `${before}${start}\n\n${table}\n\n${after}`);
console.log(`docs/reliability.md: ${table.split('\n').length - 2} rows`);
