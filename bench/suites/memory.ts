// JS heap per idle connected instance, and what is left once they are all closed.
// Heap numbers come from CDP after forced collections, so they are exact, not sampled.
import type { CDPSession, Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../../test/support/ws-server';
import type { BenchConfig } from '../config';
import type { BenchBrowser } from '../harness/browser';
import { drained } from '../harness/server';
import type { MemoryRow } from '../results';
import { ratio } from '../stats';

async function heapUsed(cdp: CDPSession): Promise<number> {
  // Two passes: the first can leave objects whose finalizers free more on the second.
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  return usedSize;
}

// V8 heap-snapshot node types that are the page's own data. The rest is compiled code (which
// grows as hot functions tier up, cycle after cycle), engine internals and Blink's natives.
const DATA_TYPES = new Set([
  'object',
  'closure',
  'array',
  'string',
  'concatenated string',
  'sliced string',
  'regexp',
  'number',
  'symbol',
  'bigint',
]);

/** Bytes of JS data (objects, closures, arrays, strings…) on the heap, code excluded. */
async function dataBytes(cdp: CDPSession): Promise<number> {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const chunks: string[] = [];
  const onChunk = (event: { chunk: string }) => chunks.push(event.chunk);
  cdp.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
  try {
    await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  } finally {
    cdp.off('HeapProfiler.addHeapSnapshotChunk', onChunk);
  }
  const snapshot = JSON.parse(chunks.join('')) as {
    snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
    nodes: number[];
  };
  const fields = snapshot.snapshot.meta.node_fields;
  const typeNames = snapshot.snapshot.meta.node_types[0];
  const typeAt = fields.indexOf('type');
  const sizeAt = fields.indexOf('self_size');
  let bytes = 0;
  for (let i = 0; i < snapshot.nodes.length; i += fields.length)
    if (DATA_TYPES.has(typeNames[snapshot.nodes[i + typeAt]!]!))
      bytes += snapshot.nodes[i + sizeAt]!;
  return bytes;
}

async function measure(
  page: Page,
  cdp: CDPSession,
  server: TestServer,
  config: BenchConfig,
  lib: string,
) {
  const spawn = (count: number) =>
    page.evaluate(
      async ([name, url, n]) => {
        globalThis.lifelineBench.spawnFleet(name, url, n);
        await globalThis.lifelineBench.waitFleetOpen(name, 1, 30_000);
      },
      [lib, server.url(), count] as const,
    );
  const closeAll = async () => {
    await page.evaluate((name) => globalThis.lifelineBench.closeFleet(name), lib);
    await drained(server);
  };
  // A full warm-up cycle first: code compiled, inline caches and module state grown, so the
  // measured cycle shows per-instance memory only, and a leak shows as growth.
  if (config.warmup) {
    await spawn(config.memoryInstances);
    await closeAll();
  }
  const base = await heapUsed(cdp);
  const baseData = await dataBytes(cdp);
  await spawn(config.memoryInstances);
  const idle = await heapUsed(cdp);
  await closeAll();
  const after = await heapUsed(cdp);
  const afterData = await dataBytes(cdp);
  return {
    lib,
    instances: config.memoryInstances,
    bytesPerInstance: (idle - base) / config.memoryInstances,
    retainedBytes: after - base,
    retainedDataBytes: afterData - baseData,
  };
}

export async function runMemory(browser: BenchBrowser, config: BenchConfig, libs: string[]) {
  const server = await startTestServer();
  const measured: Omit<MemoryRow, 'ratio'>[] = [];
  let shared: { page: Page; cdp: CDPSession } | undefined;
  const open = async () => {
    const page = await browser.newPage();
    return { page, cdp: await page.context().newCDPSession(page) };
  };
  try {
    for (const lib of libs) {
      if (!config.memoryFreshPages && !shared) shared = await open();
      const session = shared ?? (await open());
      try {
        measured.push(await measure(session.page, session.cdp, server, config, lib));
      } finally {
        if (session !== shared) await session.page.close();
      }
    }
  } finally {
    await shared?.page.close();
    await server.close();
  }
  const native = measured.find((row) => row.lib === 'native')?.bytesPerInstance ?? null;
  return measured.map((row) => ({ ...row, ratio: ratio(row.bytesPerInstance, native) }));
}
