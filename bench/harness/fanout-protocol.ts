// The IPC messages between the fan-out benchmark and its client process (fanout-clients.ts):
//   child → parent  { type: 'ready' } | { type: 'failed', message }
//   parent → child  { type: 'arm', messages }   child → parent { type: 'armed' }
//   child → parent  { type: 'done', at, cpuMs, fewest, most } once every client has them all
//   parent → child  { type: 'exit' }

export type FanoutClientKind = 'lifeline' | 'socket.io';

export type FromClients =
  | { type: 'ready' }
  | { type: 'failed'; message: string }
  | { type: 'armed' }
  | { type: 'done'; at: number; cpuMs: number; fewest: number; most: number };

export type ToClients = { type: 'arm'; messages: number } | { type: 'exit' };

/** Wall-clock ms with sub-ms precision, comparable across processes on one machine. */
export const wallClock = (): number => performance.timeOrigin + performance.now();
