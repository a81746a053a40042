import path from 'node:path';

/**
 * The one line that tells when an events file matches none, or under 1 %, of the leads a
 * command works on (`rows` leads, `withoutEvents` of them without an event before their
 * time): most likely the events file of other leads, which would otherwise be read as leads
 * that were all quiet. Undefined when the events match, or there are too few leads to tell.
 */
export function eventCoverageWarning(eventsFile: string, rows: number, withoutEvents: number): string | undefined {
  if (rows < 100 || withoutEvents <= 0.99 * rows) return undefined;
  return `${rows - withoutEvents} of ${rows} leads have events before their scoring time in ${path.basename(eventsFile)}: is the events file the one for these leads?`;
}
