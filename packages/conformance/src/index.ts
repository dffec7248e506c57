// Public entry of @lifeline/conformance: run the protocol checks against a server
// (`runConformance`, `formatReport`), and install the fixture they need on `@lifeline/server`.
//
// Where things are: run.ts (selects and runs checks), checks/ (one file per protocol area),
// check.ts (the context a check gets), peer.ts (one recorded connection), report.ts (the
// table), fixture.ts (handlers and store for the server under test), cli.ts (the bin).

export type { Check, CheckContext, CheckOptions } from './check';
export { CHECKS } from './checks/index';
export { CheckFailure } from './failure';
export {
  conformanceStore,
  type FixtureMessage,
  type FixtureServer,
  type FixtureStore,
  installConformanceFixture,
  isSmallStream,
  SMALL_WINDOW,
} from './fixture';
export { formatReport, summarize } from './report';
export {
  type CheckResult,
  type ConformanceOptions,
  type ConformanceReport,
  runConformance,
  selectChecks,
} from './run';
