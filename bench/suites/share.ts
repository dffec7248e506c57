// `share` (issue 15) in real Chromium: tabs of one browser context, each with the script-tag
// build on a real origin (Web Locks and BroadcastChannel need one, so it launches its own
// context through the share e2e tests' page server), against a real `@lifeline/server`.
// Three tables: how fast a new leader takes over when the leader tab closes, what a stream
// message costs a follower against the leader (and a tab without share), and how many
// connections the server holds for N tabs with and without share.
import type { Page } from 'playwright-core';
import { openTabs, type Tabs } from '../../packages/core/test/share-pages';
import { epoch, mainThread, openTab, read, waitIn } from '../harness/share-tabs';
import { STREAM_DATA, type StreamServer, startLifeline } from '../harness/stream-servers';
import type { ExtraSection, GoalRow } from '../results';
import { fmt, median, percentile } from '../stats';
import type { ExtraSuite } from './extras';

interface Sizes {
  handoffs: number;
  /** Stream messages per receive-cost round, and rounds. */
  messages: number;
  rounds: number;
  tabCounts: number[];
}

const SIZES: Record<'full' | 'quick', Sizes> = {
  full: { handoffs: 20, messages: 5000, rounds: 5, tabCounts: [1, 3, 6] },
  quick: { handoffs: 3, messages: 500, rounds: 1, tabCounts: [1, 3] },
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function closeAll(pages: Page[], server: StreamServer & { clients(): number }) {
  await Promise.all(pages.map((page) => page.close().catch(() => {})));
  const end = Date.now() + 10_000;
  while (server.clients() > 0 && Date.now() < end) await sleep(20);
}

interface Handoff {
  /** Close → a remaining tab has the role `leader`. */
  elected: number;
  /** Close → that tab's socket is open again (through the connection it now owns). */
  open: number;
  /** Close → every remaining tab's socket is open again. */
  allOpen: number;
}

/** Closes the leader of 3 tabs `count` times (a fresh tab keeps it at 3) and times each. */
async function handoffs(tabs: Tabs, url: string, count: number): Promise<Handoff[]> {
  const name = 'bench-handoff';
  const pages = [];
  for (let i = 0; i < 3; i++) pages.push(await openTab(tabs, url, name));
  const results: Handoff[] = [];
  try {
    for (let i = 0; i < count; i++) {
      for (const page of pages) await waitIn(page, `socket.status === 'open'`);
      const roles = await Promise.all(pages.map((page) => read(page, (w) => w.socket.role)));
      if (roles.filter((role) => role === 'leader').length !== 1)
        throw new Error(`handoff ${i}: expected one leader, got ${roles.join(', ')}`);
      const leader = pages[roles.indexOf('leader')]!;
      const rest = pages.filter((page) => page !== leader);
      const closedAt = epoch();
      await leader.close();
      // Whoever leads now, and when every remaining tab is open again.
      const end = Date.now() + 10_000;
      let result: Handoff | undefined;
      while (!result) {
        if (Date.now() > end) throw new Error(`handoff ${i}: no new leader with an open socket`);
        const states = await Promise.all(
          rest.map((page) => read(page, (w) => ({ leads: w.leads, opens: w.opens }))),
        );
        const firstOpen = states.map(({ opens }) => opens.find((at) => at >= closedAt));
        const lead = states.findIndex(({ leads }) => leads.some((at) => at >= closedAt));
        if (lead >= 0 && firstOpen.every((at) => at !== undefined)) {
          const elected = states[lead]!.leads.find((at) => at >= closedAt)!;
          result = {
            elected: elected - closedAt,
            open: firstOpen[lead]! - closedAt,
            allOpen: Math.max(...(firstOpen as number[])) - closedAt,
          };
        } else await sleep(10);
      }
      results.push(result);
      pages.splice(0, pages.length, ...rest, await openTab(tabs, url, name));
    }
  } finally {
    await Promise.all(pages.map((page) => page.close().catch(() => {})));
  }
  return results;
}

interface ReceiveCost {
  leader: number;
  follower: number;
  solo: number;
}

/**
 * Microseconds of main-thread time per stream message in the leader, a follower and a tab
 * without share, all subscribed to one stream the server publishes `messages` to.
 */
async function receiveCost(
  tabs: Tabs,
  server: StreamServer & { publishOne(stream: string): Promise<unknown> },
  sizes: Sizes,
  log: (message: string) => void,
): Promise<ReceiveCost[]> {
  const samples: ReceiveCost[] = [];
  for (let round = 0; round < sizes.rounds; round++) {
    const stream = `bench-receive-${round}`;
    const first = await openTab(tabs, server.url, `bench-receive-${round}`, stream);
    await waitIn(first, `socket.role === 'leader' && sub.status === 'live'`);
    const follower = await openTab(tabs, server.url, `bench-receive-${round}`, stream);
    const solo = await openTab(tabs, server.url, undefined, stream);
    const pages = [first, follower, solo];
    try {
      for (const page of pages) await waitIn(page, `sub.status === 'live'`);
      if ((await read(follower, (w) => w.socket.role)) !== 'follower')
        throw new Error('receive cost: the second tab does not follow');
      const clocks = await Promise.all(pages.map(mainThread));
      await sleep(200); // the subscribe replies and the first beacons are behind us
      // Each page resolves when its last message arrives: no polling adds to its main thread.
      for (const page of pages)
        await page.evaluate(
          `target = got + ${sizes.messages}; done = new Promise((resolve) => { reached = resolve; }); 0`,
        );
      const before = await Promise.all(clocks.map((clock) => clock.seconds()));
      for (let i = 0; i < sizes.messages; i++) await server.publishOne(stream);
      await Promise.all(
        pages.map((page) =>
          page.evaluate(
            `Promise.race([done, new Promise((_, reject) => setTimeout(() => reject(new Error('receive cost: ' + got + ' of ' + target + ' messages')), 120000))])`,
          ),
        ),
      );
      const after = await Promise.all(clocks.map((clock) => clock.seconds()));
      await Promise.all(clocks.map((clock) => clock.end()));
      const perMessage = (i: number) => ((after[i]! - before[i]!) * 1e6) / sizes.messages;
      log(
        `share: round ${round + 1}: µs per message: leader ${perMessage(0).toFixed(1)}, ` +
          `follower ${perMessage(1).toFixed(1)}, no share ${perMessage(2).toFixed(1)}`,
      );
      samples.push({ leader: perMessage(0), follower: perMessage(1), solo: perMessage(2) });
    } finally {
      await Promise.all(pages.map((page) => page.close().catch(() => {})));
    }
  }
  return samples;
}

/** Server connections once `count` tabs are open, with share on and off. */
async function connections(
  tabs: Tabs,
  server: StreamServer & { clients(): number },
  count: number,
  share: boolean,
): Promise<number> {
  const pages = [];
  try {
    for (let i = 0; i < count; i++)
      pages.push(await openTab(tabs, server.url, share ? `bench-tabs-${count}` : undefined));
    for (const page of pages) await waitIn(page, `socket.status === 'open'`);
    await sleep(300); // a connection still on its way would show up by now
    return server.clients();
  } finally {
    await closeAll(pages, server);
  }
}

const ms = (value: number) => `${fmt(value, 0)} ms`;

async function run({ config, log }: Parameters<ExtraSuite['run']>[0]): Promise<ExtraSection[]> {
  const sizes = SIZES[config.name];
  const lifeline = await startLifeline(sizes.messages);
  const server = {
    ...lifeline,
    clients: () => lifeline.server.clients,
    publishOne: (stream: string) => lifeline.server.publish(stream, 'tick', STREAM_DATA),
  };
  const tabs = await openTabs();
  try {
    log(`share: ${sizes.handoffs} handoffs of 3 tabs`);
    const times = await handoffs(tabs, server.url, sizes.handoffs);
    log('share: receive cost in the leader, a follower and a tab without share');
    const costs = await receiveCost(tabs, server, sizes, log);
    log(`share: server connections for ${sizes.tabCounts.join(', ')} tabs`);
    const counts: Array<[number, number, number]> = [];
    for (const count of sizes.tabCounts)
      counts.push([
        count,
        await connections(tabs, server, count, false),
        await connections(tabs, server, count, true),
      ]);

    const pick = (key: keyof Handoff) => times.map((time) => time[key]);
    const handoffRow = (what: string, key: keyof Handoff) => [
      what,
      ms(percentile(pick(key), 0.5)),
      ms(percentile(pick(key), 0.9)),
      ms(Math.max(...pick(key))),
    ];
    const electedP90 = percentile(pick('elected'), 0.9);
    const cost = (key: keyof ReceiveCost) => median(costs.map((c) => c[key]));
    const goals: GoalRow[] = [
      {
        issue: 15,
        goal: `A new leader after the leader tab closes (p90 of ${times.length} handoffs)`,
        target: '≤ 1,000 ms',
        measured: ms(electedP90),
        met: electedP90 <= 1000,
      },
      {
        issue: 15,
        goal: `Server connections with share for ${sizes.tabCounts.join(', ')} tabs`,
        target: '1',
        measured: counts.map(([, , on]) => on).join(', '),
        met: counts.every(([, , on]) => on === 1),
      },
    ];
    return [
      {
        suite: 'share',
        title: 'Share: handoff when the leader tab closes',
        headers: ['from the close until', ' p50', ' p90', ' max'],
        rows: [
          handoffRow('a remaining tab is leader', 'elected'),
          handoffRow("the new leader's socket is open", 'open'),
          handoffRow('every remaining tab is open', 'allOpen'),
        ],
        method:
          `${times.length} handoffs among 3 tabs of one Chromium context (script-tag build) ` +
          'sharing one connection to a local `@lifeline/server`: the leader page is closed ' +
          '(`page.close()`, so it gets `pagehide`), a fresh tab keeps the count at 3. Times are ' +
          'taken in the pages (`role` and `open` events, `performance.timeOrigin + now()`) from the moment Node closed the page.',
        goals,
      },
      {
        suite: 'share',
        title: 'Share: receive cost per stream message',
        headers: ['tab', ' µs per message', ' vs leader'],
        rows: [
          ['leader (owns the connection, routes to the follower)', fmt(cost('leader'), 1), '1.00×'],
          [
            'follower (over BroadcastChannel)',
            fmt(cost('follower'), 1),
            `${fmt(cost('follower') / cost('leader'), 2)}×`,
          ],
          [
            'no share (its own connection)',
            fmt(cost('solo'), 1),
            `${fmt(cost('solo') / cost('leader'), 2)}×`,
          ],
        ],
        method:
          `The server publishes ${sizes.messages} stream messages (~60 B of data) to one stream ` +
          'that a leader, a follower and a tab without share each subscribed to; each ' +
          "page's main-thread time (CDP `Performance.getMetrics` TaskDuration) across the burst, " +
          `divided by the messages, median of ${sizes.rounds} round(s).`,
      },
      {
        suite: 'share',
        title: 'Share: server connections for N tabs',
        headers: ['tabs', ' share off', ' share on'],
        rows: counts.map(([count, off, on]) => [String(count), String(off), String(on)]),
        method:
          'N tabs of one Chromium context open a socket to the same URL; `server.clients` once ' +
          'every socket is open (and 300 ms later).',
      },
    ];
  } finally {
    await tabs.close();
    await server.close();
  }
}

/** The `share` capability suite (issue 15). */
export const shareSuite: ExtraSuite = { name: 'share', browser: false, run };
