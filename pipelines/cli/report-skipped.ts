import { describeBadRows, type BadRow } from '../io/load-leads.ts';

/**
 * Tells on stderr which rows --skip-bad-rows left out, so nothing is lost silently, and what
 * else the loader read in a way worth telling (stray text in a numeric column).
 */
export function reportSkipped(skipped: BadRow[], warnings: readonly string[] = []): void {
  for (const w of warnings) process.stderr.write(`leadscore: warning: ${w}\n`);
  if (skipped.length > 0) process.stderr.write(`leadscore: skipped ${describeBadRows(skipped)}\n`);
}
