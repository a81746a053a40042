import type { DuckDBDataChunk, DuckDBVector } from '@duckdb/node-api';
import { DAY_MS, decayRate, type EventAggregateOptions } from '../../features/event-aggregates.ts';
import { grownCopy, type AggregateTable } from './aggregate-table.ts';
import { float64Column, int32Column } from '../io/duckdb-columns.ts';
import { eventColumns } from './event-aggregates-sql.ts';

/**
 * Folds the event rows of event-aggregates-sql.ts (events before their cutoff row's asOf, in
 * any order; the few at or after it that the query lets through are dropped here) into a
 * new AggregateTable: lead-level columns, and the numbers of each (row, type) pair, made on
 * the pair's first event. Each step is features/eventAggregates' online step, term by
 * term: window starts `asOf - w * DAY_MS`, decayed weights `Math.exp(((asOf - at) / DAY_MS) * decayRate(halfLifeDays))`
 * summed per event, recency `(asOf - at) / DAY_MS`, the last type
 * the latest one with ties to the greatest name. Until finish(), the lead-level recency
 * numbers hold the latest (earliest) time; the per-type one is days from the start.
 *
 * Distinct active days: a row's events mostly arrive in time order, so a day after the day
 * of the row's latest event is new and the same day is not. The (row, day) couples that look
 * new are kept (12 bytes each), and a row that saw a day before its latest is recounted from
 * them in finish().
 */
export class EventFold {
  private readonly nw: number;
  private readonly np: number;
  private readonly windowMs: number[];
  /** Rows that saw a day before their latest one. */
  private readonly unordered: Uint8Array;
  private anyUnordered = false;
  private dayRows: Int32Array;
  private dayValues: Float64Array;
  private days = 0;

  constructor(
    private readonly table: AggregateTable,
    private readonly options: EventAggregateOptions,
    private readonly asOf: ArrayLike<number>,
    /** Event rows expected: room for the days they can bring is made at once. */
    eventRows = 1 << 16,
  ) {
    this.nw = options.windowsDays.length;
    this.np = options.numericProperties.length;
    this.windowMs = options.windowsDays.map((d) => d * DAY_MS);
    this.unordered = new Uint8Array(table.rowCount);
    this.dayRows = new Int32Array(Math.max(1, eventRows));
    this.dayValues = new Float64Array(Math.max(1, eventRows));
  }

  /** Adds one chunk of event rows. */
  add(chunk: DuckDBDataChunk): void {
    const { nw, np, windowMs, table } = this;
    const { count: total, windows: totalWindows, first, last, activeDays } = table.rows;
    const lastType = table.lastTypeCode;
    const cutoff = this.asOf;
    const rate = decayRate(this.options.halfLifeDays);
    const typeCount = table.typeCount;
    const pairIndex = table.pairIndex;
    const rows = chunk.rowCount;
    // Each event adds at most one pair, and keeps at most one day.
    table.reservePairs(table.pairCount + rows);
    this.reserveDays(this.days + rows);
    const {
      count: pairTotal,
      windows: pairWindows,
      since: pairSince,
      decayed: pairDecayed,
      sums: pairSums,
    } = table.pairs;
    const dayRows = this.dayRows;
    const dayValues = this.dayValues;
    let days = this.days;
    let pairCount = table.pairCount;
    const rowIdx = int32Column(chunk, eventColumns.rowIdx, rows);
    const typeCode = int32Column(chunk, eventColumns.typeCode, rows);
    // Names of types not configured are read only for chunks that have some.
    let otherType: DuckDBVector | undefined;
    const times = float64Column(chunk, eventColumns.ts, rows);
    const props = Array.from({ length: np }, (_, k) => float64Column(chunk, eventColumns.firstProperty + k, rows));
    for (let i = 0; i < rows; i++) {
      const r = rowIdx[i]!;
      const code = typeCode[i]!;
      const at = times[i]!;
      const asOf = cutoff[r]!;
      // The query may pass a few events at or just after asOf (event-aggregates-sql.ts).
      if (!(at < asOf)) continue;
      const day = Math.floor(at / DAY_MS);
      if (total[r]!++ === 0) {
        first[r] = at;
        last[r] = at;
        lastType[r] =
          code !== 0 ? code : this.otherCode((otherType ??= chunk.getColumnVector(eventColumns.otherType)), i);
        activeDays[r] = 1;
        dayRows[days] = r;
        dayValues[days++] = day;
      } else {
        const latest = last[r]!;
        if (at < first[r]!) first[r] = at;
        if (at >= latest) {
          const type =
            code !== 0 ? code : this.otherCode((otherType ??= chunk.getColumnVector(eventColumns.otherType)), i);
          if (at > latest || table.typeName(type) > table.typeName(lastType[r]!)) {
            last[r] = at;
            lastType[r] = type;
          }
        }
        // The row's latest day so far is that of its latest event.
        const latestDay = Math.floor(latest / DAY_MS);
        if (day !== latestDay) {
          if (day > latestDay) activeDays[r]!++;
          else if (this.unordered[r] === 0) {
            this.unordered[r] = 1;
            this.anyUnordered = true;
          }
          dayRows[days] = r;
          dayValues[days++] = day;
        }
      }
      for (let k = 0; k < nw; k++) if (at >= asOf - windowMs[k]!) totalWindows[k]![r]!++;
      if (code === 0) continue;
      const key = r * typeCount + code - 1;
      let pair = pairIndex[key]! - 1;
      // Days since the type's latest event, kept as the least age: the same number, as
      // (asOf - t) / DAY_MS only grows as t falls.
      const age = (asOf - at) / DAY_MS;
      if (pair < 0) {
        pair = pairCount++;
        pairIndex[key] = pair + 1;
        pairSince[pair] = age;
      } else if (age < pairSince[pair]!) pairSince[pair] = age;
      pairTotal[pair]!++;
      for (let k = 0; k < nw; k++) if (at >= asOf - windowMs[k]!) pairWindows[k]![pair]!++;
      pairDecayed[pair]! += Math.exp(age * rate);
      for (let k = 0; k < np; k++) pairSums[k]![pair]! += props[k]![i]!;
    }
    table.pairCount = pairCount;
    this.days = days;
  }

  /** The code of the type of row `i` of `names` (a type that is not configured). */
  private otherCode(names: DuckDBVector, i: number): number {
    return this.table.otherTypeCode(names.getItem(i) as string);
  }

  private reserveDays(days: number): void {
    if (days <= this.dayRows.length) return;
    const capacity = Math.max(days, this.dayRows.length * 2);
    this.dayRows = grownCopy(this.dayRows, this.days, capacity);
    this.dayValues = grownCopy(this.dayValues, this.days, capacity);
  }

  /** Turns the rows' latest and earliest times into days before asOf, once every row is in. */
  finish(): void {
    const { table } = this;
    const { first, last, count } = table.rows;
    const cutoff = this.asOf;
    for (let r = 0; r < table.rowCount; r++) {
      if (count[r] === 0) continue;
      const asOf = cutoff[r]!;
      first[r] = (asOf - first[r]!) / DAY_MS;
      last[r] = (asOf - last[r]!) / DAY_MS;
    }
    if (this.anyUnordered) this.recountUnordered();
  }

  /** Active days of the rows whose days came out of order: their distinct kept days. */
  private recountUnordered(): void {
    const days = new Map<number, Set<number>>();
    for (let i = 0; i < this.days; i++) {
      const r = this.dayRows[i]!;
      if (this.unordered[r] === 0) continue;
      let set = days.get(r);
      if (!set) days.set(r, (set = new Set()));
      set.add(this.dayValues[i]!);
    }
    for (const [r, set] of days) this.table.rows.activeDays[r] = set.size;
  }
}
