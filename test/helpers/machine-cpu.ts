import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** User plus system CPU time (ms) of a child process so far, from /proc (Linux). */
export function cpuMs(child: ChildProcess): number {
  const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // utime and stime are fields 14 and 15 of stat, in clock ticks (100 per second on Linux).
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** The machine's CPU time counters (clock ticks) from the `cpu` line of /proc/stat (Linux). */
export function machineCpu(): number[] {
  return readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
}

/** Steal time (the 8th counter) as a percentage of all CPU time between two readings, to 0.1. */
export function stealPercent(before: number[], after: number[]): number {
  // user nice system idle iowait irq softirq steal; guest time is counted in user already.
  const delta = after.slice(0, 8).map((v, i) => v - (before[i] ?? 0));
  const total = delta.reduce((a, b) => a + b, 0);
  return total > 0 ? Math.round((1000 * (delta[7] ?? 0)) / total) / 10 : 0;
}
