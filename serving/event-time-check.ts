import { InputError } from '../features/errors.ts';

/** No event of a lead happens before this (2000-01-01): an earlier time is a unit or clock error. */
export const EARLIEST_EVENT_TIME = Date.UTC(2000, 0, 1);

/** Default tolerance for event times ahead of the worker's clock: 1 day. */
export const DEFAULT_MAX_CLOCK_SKEW_MS = 86_400_000;

/**
 * Refuses an implausible event time (epoch ms) with the reason: one that looks like
 * seconds (1.7e9 is January 1970 in milliseconds: every event would look 20,000 days old),
 * one before 2000-01-01, or one more than `maxSkewMs` after `now`.
 */
export function checkEventTime(at: number, where: string, now: number, maxSkewMs: number): void {
  if (at < EARLIEST_EVENT_TIME) {
    if (at * 1000 >= EARLIEST_EVENT_TIME && at * 1000 <= now + maxSkewMs) {
      throw new InputError(
        `${where}: ${at} looks like seconds since the epoch (${iso(at * 1000)}); times are epoch milliseconds`,
      );
    }
    throw new InputError(`${where}: ${at} (${iso(at)}) is before 2000-01-01; times are epoch milliseconds`);
  }
  if (at > now + maxSkewMs) {
    throw new InputError(
      `${where}: ${at} (${iso(at)}) is more than ${duration(maxSkewMs)} ahead of the worker's clock (${iso(now)})`,
    );
  }
}

function iso(ms: number): string {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? 'not a date' : d.toISOString();
}

function duration(ms: number): string {
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000} day${ms === 86_400_000 ? '' : 's'}`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  return `${ms / 1000} s`;
}
