// Runs the checks one after another against one URL, each with its own connections, and
// collects a result per check. A check never throws out of here: any error is its failure.
import { randomBytes } from 'node:crypto';
import { type Check, CheckContext } from './check';
import { CHECKS } from './checks/index';
import { CheckFailure } from './failure';

/** Options of {@link runConformance}. */
export interface ConformanceOptions {
  /** Milliseconds to wait for each expected frame or close. Default 2000. */
  timeout?: number;
  /**
   * Check ids or groups to run (`ping`, `dedupe.reconnect`); default all. An entry that
   * matches no check throws `TypeError`, so a typo does not pass silently.
   */
  only?: readonly string[];
  /** The server's largest accepted frame in bytes; without it `limits.oversize` is not tested. */
  maxPayload?: number;
}

/** The outcome of one check. */
export interface CheckResult {
  id: string;
  title: string;
  /** Required checks decide `ok`; recommended ones are reported only. */
  required: boolean;
  status: 'pass' | 'fail' | 'skip';
  /** Why it failed or was not tested. */
  detail?: string;
  /** How long it took, ms. */
  ms: number;
}

/** What {@link runConformance} found. */
export interface ConformanceReport {
  url: string;
  results: CheckResult[];
  /** True when no required check failed. */
  ok: boolean;
}

/** The checks `only` selects: by exact id or by group (`ping` selects `ping.pong`, `ping.data`). */
export function selectChecks(only: readonly string[] | undefined): Check[] {
  if (!only || only.length === 0) return [...CHECKS];
  const matches = (check: Check, entry: string) =>
    check.id === entry || check.id.startsWith(`${entry}.`);
  for (const entry of only) {
    if (!CHECKS.some((check) => matches(check, entry))) {
      throw new TypeError(
        `no conformance check matches "${entry}"; ids: ${CHECKS.map((c) => c.id).join(', ')}`,
      );
    }
  }
  return CHECKS.filter((check) => only.some((entry) => matches(check, entry)));
}

function validate(url: string, options: ConformanceOptions) {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(`not a URL: ${JSON.stringify(url)}`);
  }
  if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:') {
    throw new TypeError(`the URL must start with ws:// or wss://, got ${JSON.stringify(url)}`);
  }
  const { timeout, maxPayload } = options;
  if (timeout !== undefined && !(Number.isInteger(timeout) && timeout > 0)) {
    throw new TypeError(`timeout must be a positive integer (ms), got ${String(timeout)}`);
  }
  if (maxPayload !== undefined && !(Number.isInteger(maxPayload) && maxPayload > 0)) {
    throw new TypeError(`maxPayload must be a positive integer (bytes), got ${String(maxPayload)}`);
  }
}

/**
 * Checks the Lifeline server at `url` against the protocol. The server must have the
 * conformance fixture installed (the `conformance.*` request handlers; see the README).
 * Throws `TypeError` for a bad URL or option; a server that fails is a report, not a throw.
 *
 * @example
 * const report = await runConformance('ws://127.0.0.1:8080/ws', { maxPayload: 1048576 });
 * console.log(formatReport(report));
 * process.exitCode = report.ok ? 0 : 1;
 */
export async function runConformance(
  url: string,
  options: ConformanceOptions = {},
): Promise<ConformanceReport> {
  validate(url, options);
  const checks = selectChecks(options.only);
  const checkOptions = { timeout: options.timeout ?? 2000, maxPayload: options.maxPayload };
  const runId = randomBytes(6).toString('hex');
  const results: CheckResult[] = [];
  for (const [index, check] of checks.entries()) {
    const context = new CheckContext(url, checkOptions, `${runId}-${index}`);
    const started = performance.now();
    const result = { id: check.id, title: check.title, required: check.required };
    try {
      const outcome = await check.run(context);
      results.push(
        outcome
          ? { ...result, status: 'skip', detail: outcome.skip, ms: elapsed(started) }
          : { ...result, status: 'pass', ms: elapsed(started) },
      );
    } catch (error) {
      const detail =
        error instanceof CheckFailure
          ? error.message
          : `unexpected error: ${error instanceof Error ? error.message : String(error)}`;
      results.push({ ...result, status: 'fail', detail, ms: elapsed(started) });
    } finally {
      context.dispose();
    }
  }
  const ok = results.every((result) => !(result.required && result.status === 'fail'));
  return { url, results, ok };
}

const elapsed = (started: number) => Math.round(performance.now() - started);
