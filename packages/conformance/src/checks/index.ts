// Every check, in the order they run and are reported.
import type { Check } from '../check';
import { envelopeChecks } from './envelopes';
import { limitChecks } from './limits';
import { requestChecks } from './requests';
import { streamChecks } from './streams';

/** All conformance checks, in report order. */
export const CHECKS: readonly Check[] = [
  ...envelopeChecks,
  ...requestChecks,
  ...streamChecks,
  ...limitChecks,
];
