// Interleaved rounds: every contender once per round, in order, so drift (thermal, GC, other
// load) hits all of them alike; an optional unrecorded warm-up round lets the JIT settle first.

/** Samples per name, from `rounds` recorded rounds (after one warm-up round if `warmup`). */
export async function interleave(
  { rounds, warmup }: { rounds: number; warmup: boolean },
  names: readonly string[],
  measure: (name: string, recorded: boolean) => Promise<number>,
): Promise<Map<string, number[]>> {
  const samples = new Map<string, number[]>(names.map((name) => [name, []]));
  for (let round = warmup ? -1 : 0; round < rounds; round++) {
    for (const name of names) {
      const value = await measure(name, round >= 0);
      if (round >= 0) samples.get(name)!.push(value);
    }
  }
  return samples;
}
