// Validation (issue 18) in the shared benchmark Chromium: the per-message receive cost of a
// `Socket` whose message type has a 5-field valibot object schema, next to the same socket
// without one, over the in-page fake transport (bench/page/validation.ts). Interleaved rounds,
// each mode in a page of its own so one's JIT feedback does not shape the other's code; the
// medians and their ratio are reported.
import type { Page } from 'playwright-core';
import { interleave } from '../harness/rounds';
import type { ValidationMode } from '../page/validation';
import type { ExtraSection } from '../results';
import { fmt, fmtRatio, median, ratio } from '../stats';
import type { ExtraSuite, ExtraSuiteContext } from './extras';

const MODES: readonly ValidationMode[] = ['no validation', 'valibot, 5 fields'];

async function run(context: ExtraSuiteContext): Promise<ExtraSection[]> {
  const { config, browser } = context;
  const quick = config.name === 'quick';
  const count = quick ? 5_000 : 100_000;
  const pages = new Map<string, Page>();
  try {
    const samples = await interleave(config, MODES, async (mode, recorded) => {
      let page = pages.get(mode);
      if (!page) {
        page = await browser!.newPage();
        pages.set(mode, page);
      }
      await page.bringToFront();
      return page.evaluate(([m, n]) => globalThis.lifelineValidationBench.cost(m, n), [
        mode as ValidationMode,
        recorded ? count : Math.min(count, 20_000),
      ] as const);
    });
    const base = median(samples.get(MODES[0]!)!);
    const valibot = median(samples.get(MODES[1]!)!);
    const rows = MODES.map((mode) => {
      const ns = median(samples.get(mode)!);
      return [
        mode,
        fmt(ns, 0),
        fmtRatio(ratio(ns, base)),
        samples
          .get(mode)!
          .map((value) => fmt(value, 0))
          .join(' / '),
      ];
    });
    context.log(`validation: ${fmt(base, 0)} ns → ${fmt(valibot, 0)} ns per message`);
    return [
      {
        suite: 'validation',
        title: 'Validation: per-message receive cost',
        headers: ['mode', ' ns / message', ' ratio', ' samples (ns)'],
        rows,
        method: `A \`Socket\` over the in-page fake transport receives ${count.toLocaleString('en')} distinct \`{"type":"t","data":{…5 fields}}\` frames per round, delivered to one \`onMessage('t')\` handler, timed in chunks of 2,000 (undisturbed chunks only). "valibot, 5 fields": the same socket with \`schemas: { t: v.object({ id: v.number(), user: v.string(), text: v.string(), at: v.number(), tags: v.array(v.string()) }) }\` (every message valid, so every one is delivered). ${config.rounds} interleaved round(s)${config.warmup ? ' after a warm-up round' : ''}, each mode in its own page; the median is shown.`,
        goals: [
          {
            issue: 18,
            goal: 'per-message cost with a 5-field valibot schema, reported next to no validation',
            target: 'reported (no ceiling set)',
            measured: `${fmt(valibot, 0)} ns vs ${fmt(base, 0)} ns (${fmtRatio(ratio(valibot, base))})`,
            met: Number.isFinite(valibot) && Number.isFinite(base),
          },
        ],
      },
    ];
  } finally {
    await Promise.all([...pages.values()].map((page) => page.close()));
  }
}

export const validationSuite: ExtraSuite = { name: 'validation', browser: true, run };
