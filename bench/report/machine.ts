// Machine notes printed with every result: numbers mean little without them.
import { cpus, loadavg, type as osType, release, totalmem } from 'node:os';
import type { MachineNotes } from '../results';

export function machineNotes(chromium: string): MachineNotes {
  const list = cpus();
  return {
    cpu: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${osType()} ${release()}`,
    node: process.version,
    chromium,
    date: new Date().toISOString().slice(0, 10),
    loadAverage: Math.round((loadavg()[0] ?? 0) * 10) / 10,
  };
}
