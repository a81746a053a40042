import type { PreparedData } from '../train/prepare-data.ts';

/**
 * When each row happened, for ordering by time: its asOf (point-in-time data), else the
 * configured time column, else the file row number.
 */
export function rowTimes(
  data: PreparedData,
  timeColumn: string | undefined,
): { times: ArrayLike<number | null>; kind: 'time' | 'row'; orderedBy: string } {
  if (data.asOf) return { times: data.asOf, kind: 'time', orderedBy: 'asOf' };
  if (timeColumn !== undefined) {
    const column = data.frame.columns.find((c) => c.name === timeColumn);
    if (column && (column.type === 'timestamp' || column.type === 'numeric')) {
      return {
        times: column.values,
        kind: column.type === 'timestamp' ? 'time' : 'row',
        orderedBy: `column ${timeColumn}`,
      };
    }
  }
  return { times: data.frame.rowNumbers, kind: 'row', orderedBy: 'file order' };
}

/** First and last time of `rows`, as ISO dates for times or `row N` for file order. */
export function timeRange(
  times: ArrayLike<number | null>,
  kind: 'time' | 'row',
  rows: ArrayLike<number>,
): { from: string; to: string } {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < rows.length; i++) {
    const t = times[rows[i]!];
    if (t === null || t === undefined) continue;
    lo = Math.min(lo, t);
    hi = Math.max(hi, t);
  }
  const show = (t: number) =>
    !Number.isFinite(t) ? '-' : kind === 'time' ? new Date(t).toISOString().slice(0, 10) : `row ${t}`;
  return { from: show(lo), to: show(hi) };
}
