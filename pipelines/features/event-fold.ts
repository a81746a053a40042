import type { DuckDBDataChunk, DuckDBVector } from '@duckdb/node-api';
import duckdb from '@duckdb/node-bindings';
import { DAY_MS, type EventAggregateOptions } from '../../features/event-aggregates.ts';
import type { AggregateTable } from './aggregate-table.ts';
import { eventColumns } from './event-aggregates-sql.ts';

/**
 * Folds the event rows of event-aggregates-sql.ts (events before their cutoff row's asOf, in
 * any order; the few at or after it that the query lets through are dropped here) into a
 * new AggregateTable: lead-level columns, and the numbers of each (row, type) pair, made on
 * the pair's first event. Each step is features/eventAggregates' online step, term by
 * term: window starts `asOf - w * DAY_MS`, the decayed weights (computed per event in SQL
 * with the same expression) summed per event, recency `(asOf - at) / DAY_MS`, the last type
 * the latest one with ties to the greatest name. Until finish(), the recency
 * numbers hold the latest (earliest) time.
 *
 * Distinct active days: a row's events mostly arrive in time order, so a day after the row's
 * latest one is new and the same day is not. The (row, day) couples that look new are kept
 * (12 bytes each), and a row that saw a day before its latest is recounted from them in finish().
 */
export class EventFold {
  private readonly nw: number;
  private readonly np: number;
  private readonly windowMs: number[];
  /** Latest day counted per row. */
  private readonly lastDay: Float64Array;
  /** Rows that saw a day before their latest one. */
  private readonly unordered: Uint8Array;
  private anyUnordered = false;
  private dayRows = new Int32Array(1 << 16);
  private dayValues = new Float64Array(1 << 16);
  private days = 0;

  constructor(
    private readonly table: AggregateTable,
    private readonly options: EventAggregateOptions,
    private readonly asOf: ArrayLike<number>,
  ) {
    this.nw = options.windowsDays.length;
    this.np = options.numericProperties.length;
    this.windowMs = options.windowsDays.map((d) => d * DAY_MS);
    this.lastDay = new Float64Array(table.rowCount);
    this.unordered = new Uint8Array(table.rowCount);
  }

  /** Adds one chunk of event rows. */
  add(chunk: DuckDBDataChunk): void {
    const { nw, np, windowMs, lastDay, table } = this;
    const { count: total, windows: totalWindows, first, last, activeDays } = table.rows;
    const lastType = table.lastType;
    const cutoff = this.asOf;
    const types = this.options.types;
    const typeCount = table.typeCount;
    const pairIndex = table.pairIndex;
    const stride = table.pairStride;
    const { windows: winOff, since: sinceOff, decayed: decayOff, sums: sumOff } = table.pairOffsets;
    const rows = chunk.rowCount;
    // Each event adds at most one pair.
    table.reservePairs(table.pairCount + rows);
    const values = table.pairValues;
    const pairRow = table.pairRows;
    let pairCount = table.pairCount;
    const rowIdx = int32Column(chunk, eventColumns.rowIdx, rows);
    const typeCode = int32Column(chunk, eventColumns.typeCode, rows);
    // Names of types not configured are read only for chunks that have some.
    let otherType: DuckDBVector | undefined;
    const times = float64Column(chunk, eventColumns.ts, rows);
    const decay = float64Column(chunk, eventColumns.decay, rows);
    const props = Array.from({ length: np }, (_, k) => float64Column(chunk, eventColumns.firstProperty + k, rows));
    for (let i = 0; i < rows; i++) {
      const r = rowIdx[i]!;
      const code = typeCode[i]!;
      const at = times[i]!;
      const asOf = cutoff[r]!;
      // The query may pass a few events at or just after asOf (event-aggregates-sql.ts).
      if (!(at < asOf)) continue;
      const day = Math.floor(at / DAY_MS);
      if (++total[r]! === 1) {
        first[r] = at;
        last[r] = at;
        lastType[r] = code === 0 ? ((otherType ??= chunk.getColumnVector(eventColumns.otherType)).getItem(i) as string) : types[code - 1]!;
        activeDays[r] = 1;
        lastDay[r] = day;
        this.keepDay(r, day);
      } else {
        if (at < first[r]!) first[r] = at;
        if (at >= last[r]!) {
          const type = code === 0 ? ((otherType ??= chunk.getColumnVector(eventColumns.otherType)).getItem(i) as string) : types[code - 1]!;
          if (at > last[r]! || type > lastType[r]!) {
            last[r] = at;
            lastType[r] = type;
          }
        }
        if (day !== lastDay[r]) {
          if (day > lastDay[r]!) {
            activeDays[r]!++;
            lastDay[r] = day;
          } else if (this.unordered[r] === 0) {
            this.unordered[r] = 1;
            this.anyUnordered = true;
          }
          this.keepDay(r, day);
        }
      }
      for (let k = 0; k < nw; k++) if (at >= asOf - windowMs[k]!) totalWindows[k]![r]!++;
      if (code === 0) continue;
      const key = r * typeCount + code - 1;
      let pair = pairIndex[key]!;
      let base: number;
      if (pair === 0) {
        pair = ++pairCount;
        pairIndex[key] = pair;
        pairRow[pair - 1] = r;
        base = (pair - 1) * stride;
        values[base + sinceOff] = at;
      } else {
        base = (pair - 1) * stride;
        if (at > values[base + sinceOff]!) values[base + sinceOff] = at;
      }
      values[base]!++;
      for (let k = 0; k < nw; k++) if (at >= asOf - windowMs[k]!) values[base + winOff + k]!++;
      values[base + decayOff]! += decay[i]!;
      for (let k = 0; k < np; k++) values[base + sumOff + k]! += props[k]![i]!;
    }
    table.pairCount = pairCount;
  }

  private keepDay(r: number, day: number): void {
    if (this.days === this.dayRows.length) {
      const rows = new Int32Array(this.days * 2);
      rows.set(this.dayRows);
      this.dayRows = rows;
      const days = new Float64Array(this.days * 2);
      days.set(this.dayValues);
      this.dayValues = days;
    }
    this.dayRows[this.days] = r;
    this.dayValues[this.days++] = day;
  }

  /** Turns the latest and earliest times into days before asOf, once every row is in. */
  finish(): void {
    const { table } = this;
    const { first, last, count } = table.rows;
    const cutoff = this.asOf;
    for (let r = 0; r < table.rowCount; r++) {
      if (count[r] === 0) continue;
      first[r] = (cutoff[r]! - first[r]!) / DAY_MS;
      last[r] = (cutoff[r]! - last[r]!) / DAY_MS;
    }
    const values = table.pairValues;
    const { pairStride: stride, pairRows } = table;
    for (let p = 0, at = table.pairOffsets.since; p < table.pairCount; p++, at += stride) values[at] = (cutoff[pairRows[p]!]! - values[at]!) / DAY_MS;
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

/** The values of a non-null INTEGER column of a chunk, without copying. */
function int32Column(chunk: DuckDBDataChunk, column: number, rows: number): Int32Array {
  const bytes = duckdb.vector_get_data(duckdb.data_chunk_get_vector(chunk.chunk, column), rows * 4);
  return new Int32Array(bytes.buffer, bytes.byteOffset, rows);
}

/** The values of a non-null DOUBLE column of a chunk, without copying. */
function float64Column(chunk: DuckDBDataChunk, column: number, rows: number): Float64Array {
  const bytes = duckdb.vector_get_data(duckdb.data_chunk_get_vector(chunk.chunk, column), rows * 8);
  return new Float64Array(bytes.buffer, bytes.byteOffset, rows);
}
