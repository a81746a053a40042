/**
 * ISO 8601 dates as both the leads loader and the worker read them: `2024-03-01`,
 * `2024-03-01 10:30`, `2024-03-01T10:30:00.5+02:00`. UTC unless an offset is given. An
 * impossible date or time (`2024-02-30`, `24:10`) is not a date: Date.parse would roll it
 * over into the next month.
 */
const isoPattern =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

/** True when `text` (trimmed) is written as an ISO 8601 date or date-time, possible or not. */
export function looksIsoTimestamp(text: string): boolean {
  return isoPattern.test(text.trim());
}

/** ISO 8601 date or date-time (UTC unless an offset is given) as epoch ms; undefined when not one or impossible. */
export function parseIsoTimestamp(text: string): number | undefined {
  const m = isoPattern.exec(text.trim());
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map((v) => Number(v ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let iso = text.trim().replace(' ', 'T').replace(/\s+/g, '');
  if (m[4] === undefined) iso += 'T00:00:00Z';
  else if (m[7] === undefined) iso += 'Z';
  else iso = iso.replace(/([+-]\d{2})$/, '$1:00');
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? ms : undefined;
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
