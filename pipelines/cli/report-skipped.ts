import { describeBadRows, type BadRow } from '../io/load-leads.ts';

/** Tells on stderr which rows --skip-bad-rows left out, so nothing is lost silently. */
export function reportSkipped(skipped: BadRow[]): void {
  if (skipped.length > 0) process.stderr.write(`leadscore: skipped ${describeBadRows(skipped)}\n`);
}
