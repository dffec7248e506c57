// The script injected into the benchmark page: every adapter plus the in-page measurements,
// exposed as `globalThis.lifelineBench`.
import { Socket } from '@lifeline/core';
import { adapters, type LibAdapter, variants } from '../libs/index';
import type { BenchPageApi } from './api';
import { closeFleet, fleetState, spawnFleet, waitFleetOpen } from './fleet';
import { perMessage, routing } from './per-message';
import './persist'; // sets globalThis.lifelinePersistBench
import { replayPrepare, replayRun } from './replay';
import { streamCost } from './stream-cost';
import { throughput } from './throughput';
import './validation'; // sets globalThis.lifelineValidationBench

// Without a core build the bundler stubs `@lifeline/core`; the harness then skips Lifeline.
const built = typeof Socket === 'function';
const available = adapters.filter((lib) => lib.name !== 'lifeline' || built);
const availableVariants = built ? variants : [];

function adapter(name: string): LibAdapter {
  const found = [...available, ...availableVariants].find((lib) => lib.name === name);
  if (!found) throw new Error(`No benchmark adapter "${name}" in this page`);
  return found;
}

const api: BenchPageApi = {
  libs: () => available.map((lib) => lib.name),
  variants: () => availableVariants.map((lib) => lib.name),
  perMessage: (lib, direction, count) => perMessage(adapter(lib), direction, count),
  routing,
  streamCost,
  replayPrepare,
  replayRun,
  throughput: (lib, url, count, size) => throughput(adapter(lib), url, count, size),
  spawnFleet: (lib, url, count) => spawnFleet(adapter(lib), url, count),
  fleetState,
  waitFleetOpen,
  closeFleet,
};

globalThis.lifelineBench = api;
