// What the app actually received from a stream, counted from the delivered seqs alone (not
// from the library's counters), so the page can show whether anything was lost: `missed` is
// the number of seqs of the current epoch that were skipped between two delivered messages.
// Seqs are decimal strings (DESIGN §8); differences use BigInt, never a JS number.

const DECIMAL = /^(0|[1-9][0-9]*)$/;

/**
 * A fresh tally for one subscription. The first delivered message of an epoch is where
 * counting starts: a new epoch (after a resync) starts again from its first message.
 *
 * @example
 * const tally = createStreamTally();
 * tally.deliver('e1', '7');
 * tally.deliver('e1', '9');
 * tally.snapshot().missed; // '1' (seq 8 never arrived)
 */
export function createStreamTally() {
  let received = 0;
  let repeated = 0;
  let missed = 0n;
  let epochs = 0;
  let epoch;
  let first;
  let last;

  return {
    /** Counts one message the app received; throws a TypeError for a seq that is no decimal string. */
    deliver(messageEpoch, seq) {
      if (typeof seq !== 'string' || !DECIMAL.test(seq)) {
        throw new TypeError(`stream seq must be a decimal string, got ${JSON.stringify(seq)}`);
      }
      received++;
      if (messageEpoch !== epoch) {
        epochs++;
        epoch = messageEpoch;
        first = seq;
        last = seq;
        return;
      }
      const step = BigInt(seq) - BigInt(last);
      if (step <= 0n) {
        // A duplicate or a message from the past: the app saw it twice or out of order.
        repeated++;
        return;
      }
      missed += step - 1n;
      last = seq;
    },
    /** The counts so far; `missed` is a decimal string (it may exceed 2^53 in theory). */
    snapshot() {
      return { received, missed: String(missed), repeated, epochs, epoch, first, last };
    },
  };
}
