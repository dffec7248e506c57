// Replay throughput in Chromium: a client subscribes to a stream on a real `@lifeline/server`,
// goes down, the server publishes `replayMessages`, the client reconnects and the page times
// from `open` to the last message delivered. Lifeline against a hand-written native client.
import type { BenchConfig } from '../config';
import type { BenchBrowser } from '../harness/browser';
import { interleave } from '../harness/rounds';
import { STREAM_DATA, startLifeline } from '../harness/stream-servers';
import type { Replayer } from '../page/replay';
import type { ReplayRow } from '../results';
import { median, ratio } from '../stats';

const BASELINE: Replayer = 'native (hand-written)';
const REPLAYERS: readonly Replayer[] = [BASELINE, 'lifeline'];

export async function runReplay(browser: BenchBrowser, config: BenchConfig): Promise<ReplayRow[]> {
  const count = config.replayMessages;
  // Every message of a replay must still be in the log when the client comes back.
  const server = await startLifeline(count);
  const page = await browser.newPage();
  await page.bringToFront();
  const times = new Map<string, number[]>(REPLAYERS.map((name) => [name, []]));
  let streams = 0;
  try {
    const rates = await interleave(config, REPLAYERS, async (name, recorded) => {
      const stream = `replay:${streams++}`;
      await page.evaluate(
        ([replayer, url, s]) => globalThis.lifelineBench.replayPrepare(replayer, url, s),
        [name as Replayer, server.url, stream] as const,
      );
      let head = '0';
      for (let i = 0; i < count; i++)
        head = (await server.server.publish(stream, 'tick', STREAM_DATA)).seq;
      const run = await page.evaluate(
        ([s, n, last]) => globalThis.lifelineBench.replayRun(s, n, last, 60_000),
        [stream, count, head] as const,
      );
      if (recorded) times.get(name)!.push(run.ms);
      return run.messages / (run.ms / 1000);
    });
    const base = median(rates.get(BASELINE)!);
    return [...rates].map(([lib, samples]) => ({
      lib,
      messages: count,
      messagesPerSecond: median(samples),
      ms: median(times.get(lib)!),
      ratio: ratio(median(samples), base),
      samples,
    }));
  } finally {
    await page.close();
    await server.close();
  }
}
