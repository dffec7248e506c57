// The plain-text table the CLI prints: one line per check, the reason under a failure or skip,
// then a summary line. No colours, so it reads the same in CI logs and when piped.
import type { CheckResult, ConformanceReport } from './run';

const LABEL: Record<CheckResult['status'], string> = { pass: 'PASS', fail: 'FAIL', skip: 'SKIP' };

/** Counts of a report, for the summary line and for callers. */
export function summarize(report: ConformanceReport) {
  const count = (test: (result: CheckResult) => boolean) => report.results.filter(test).length;
  return {
    total: report.results.length,
    passed: count((result) => result.status === 'pass'),
    failed: count((result) => result.status === 'fail'),
    failedRequired: count((result) => result.status === 'fail' && result.required),
    skipped: count((result) => result.status === 'skip'),
  };
}

/**
 * Renders a report as a plain-text table.
 *
 * @example
 * console.log(formatReport(await runConformance('ws://127.0.0.1:8080/ws')));
 */
export function formatReport(report: ConformanceReport): string {
  const width = Math.max(5, ...report.results.map((result) => result.id.length));
  const lines = [
    `Lifeline conformance: ${report.url}`,
    '',
    `result  ${'check'.padEnd(width)}  ${'level'.padEnd(11)} ${'ms'.padStart(6)}  what the server must do`,
  ];
  for (const result of report.results) {
    const level = result.required ? 'required   ' : 'recommended';
    const ms = String(result.ms).padStart(6);
    lines.push(
      `${LABEL[result.status]}    ${result.id.padEnd(width)}  ${level} ${ms}  ${result.title}`,
    );
    if (result.detail) lines.push(`        ${' '.repeat(width)}  └ ${result.detail}`);
  }
  const { total, passed, failed, failedRequired, skipped } = summarize(report);
  lines.push(
    '',
    `${total} checks: ${passed} passed, ${failed} failed (${failedRequired} required), ${skipped} not tested`,
    report.ok
      ? 'CONFORMANT: every required check that ran passed'
      : 'NOT CONFORMANT: a required check failed',
  );
  return lines.join('\n');
}
