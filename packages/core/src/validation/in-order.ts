// Keeps incoming envelopes in arrival order around asynchronous schemas: while one verdict is
// pending, every later envelope waits here (validated or not), then runs in order once the
// verdict is in. Synchronous verdicts never come here. `_reset` (close, dispose) voids the
// pending verdict and what waits behind it: nothing is delivered afterwards.
import type { Envelope } from '../envelope';
import type { Checked } from './check';

// Members only the core calls are `_`-prefixed: internal, and shortened by the production
// build's property mangling (rollup.config.mjs).
/** The order keeper of one socket. */
export class InOrder {
  /** Envelopes waiting behind a pending verdict; `undefined` when nothing waits. */
  private _held: Envelope[] | undefined;
  private _next = 0;
  /** Whether a verdict is pending (the held envelopes may not run). */
  private _waiting = false;
  /** Bumped by `_reset`: a verdict of an earlier generation is ignored. */
  private _generation = 0;

  /** @param _deliver - routes one envelope as if it had just arrived */
  constructor(private readonly _deliver: (envelope: Envelope) => void) {}

  /** Whether envelopes must wait (`_hold`) instead of being delivered now. */
  get _holding(): boolean {
    return this._held !== undefined;
  }

  _hold(envelope: Envelope): void {
    this._held!.push(envelope);
  }

  /** Waits for `verdict` before anything else: `then(verdict)`, then the held envelopes. */
  _wait(verdict: Promise<Checked>, then: (checked: Checked) => void): void {
    this._held ??= [];
    this._waiting = true;
    const generation = this._generation;
    verdict.then((checked) => {
      if (generation !== this._generation) return;
      this._waiting = false;
      then(checked);
      this._drain();
    });
  }

  /** Forgets the pending verdict and the held envelopes. */
  _reset(): void {
    this._generation++;
    this._held = undefined;
    this._next = 0;
    this._waiting = false;
  }

  // Envelopes that arrive while draining (a handler's send answered at once) join the end.
  private _drain(): void {
    const generation = this._generation;
    const held = this._held;
    while (held && !this._waiting && generation === this._generation && this._next < held.length)
      this._deliver(held[this._next++]!);
    if (this._waiting || generation !== this._generation) return;
    this._held = undefined;
    this._next = 0;
  }
}
