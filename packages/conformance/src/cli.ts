// `npx @lifeline/conformance ws://host/path [options]`: runs the checks and prints the table
// (or JSON). Exit code 0 when every required check passed, 1 when one failed, 2 on bad usage.
import { parseArgs } from 'node:util';
import { formatReport } from './report';
import { runConformance } from './run';

const USAGE = `Usage: lifeline-conformance <ws://host/path> [options]

Checks a Lifeline server against the protocol. The server must have the conformance
fixture installed (conformance.echo, .fail, .count, .publish handlers; see the README).

Options:
  --timeout <ms>        wait per expected frame (default 2000)
  --only <ids>          comma-separated check ids or groups, e.g. ping,dedupe.reconnect
  --max-payload <bytes> the server's frame limit; enables the 1009 check
  --json                print the report as JSON instead of a table
  --help                show this text

Exit code: 0 all required checks passed, 1 a required check failed, 2 bad usage.`;

function integer(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[1-9][0-9]*$/.test(value))
    throw new TypeError(`--${name} must be a positive integer, got ${value}`);
  return Number(value);
}

async function main(argv: string[]): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        timeout: { type: 'string' },
        only: { type: 'string' },
        'max-payload': { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean' },
      },
    });
    if (values.help) {
      console.log(USAGE);
      return 0;
    }
    if (positionals.length !== 1) throw new TypeError('give exactly one server URL');
    const options = {
      timeout: integer('timeout', values.timeout),
      maxPayload: integer('max-payload', values['max-payload']),
      only: values.only
        ?.split(',')
        .map((entry) => entry.trim())
        .filter(Boolean),
    };
    // Bad options throw TypeError before any check runs; checks themselves never throw.
    const report = await runConformance(positionals[0]!, options);
    console.log(values.json ? JSON.stringify(report, null, 2) : formatReport(report));
    return report.ok ? 0 : 1;
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    console.error(`lifeline-conformance: ${error.message}\n\n${USAGE}`);
    return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 2;
  },
);
