import { InputError } from '../../features/errors.ts';
import type { ManualPoints } from '../../models/rules/rule-engine.ts';
import { readRawTable } from '../io/read-raw-table.ts';
import { parseIsoTimestamp, parseNumber } from '../io/parse-values.ts';

/** Column names of a manual adjustments file. */
export const ADJUSTMENT_COLUMNS = { leadId: 'lead_id', points: 'points', reason: 'reason' } as const;

/** Optional column: when the points were given (ISO date or date-time); they count only when scoring after it. */
export const ADJUSTMENT_TIME_COLUMN = 'at';

/**
 * Reads manual adjustments (CSV, TSV, Parquet or JSON Lines with columns lead_id, points,
 * reason and optionally at): points given by hand for offline actions. A lead may have
 * several rows. Errors name the file, row and column.
 */
export async function readAdjustments(file: string): Promise<Map<string, ManualPoints[]>> {
  const raw = await readRawTable(file);
  if (raw.badRows.length > 0) throw new InputError(`${file}: row ${raw.badRows[0]!.row}: ${raw.badRows[0]!.reason}`);
  const column = (name: string) => {
    const i = raw.columns.indexOf(name);
    if (i < 0)
      throw new InputError(
        `${file}: column "${name}" not found (expected ${Object.values(ADJUSTMENT_COLUMNS).join(', ')})`,
      );
    return raw.values[i]!;
  };
  const ids = column(ADJUSTMENT_COLUMNS.leadId);
  const points = column(ADJUSTMENT_COLUMNS.points);
  const reasons = column(ADJUSTMENT_COLUMNS.reason);
  const timeIndex = raw.columns.indexOf(ADJUSTMENT_TIME_COLUMN);
  const times = timeIndex >= 0 ? raw.values[timeIndex]! : undefined;
  const byLead = new Map<string, ManualPoints[]>();
  raw.rowNumbers.forEach((row, r) => {
    const id = ids[r]?.trim();
    if (!id) throw new InputError(`${file}: row ${row}: lead_id is empty`);
    const value = parseNumber(points[r] ?? '');
    if (value === undefined || !Number.isFinite(value))
      throw new InputError(`${file}: row ${row}: points: expected a number, got ${JSON.stringify(points[r])}`);
    const reason = reasons[r]?.trim();
    if (!reason) throw new InputError(`${file}: row ${row}: reason is empty`);
    const text = times?.[r]?.trim();
    const at = text ? parseIsoTimestamp(text) : undefined;
    if (text && at === undefined)
      throw new InputError(`${file}: row ${row}: at: expected an ISO date or date-time, got ${JSON.stringify(text)}`);
    const list = byLead.get(id) ?? [];
    list.push(at === undefined ? { points: value, reason } : { points: value, reason, at });
    byLead.set(id, list);
  });
  return byLead;
}
