import type { DuckDBDataChunk, DuckDBVector } from '@duckdb/node-api';
import duckdb from '@duckdb/node-bindings';
import { DAY_MS, type EventAggregateOptions } from '../../features/event-aggregates.ts';
import type { AggregateTable } from './aggregate-table.ts';
import { eventColumns } from './event-aggregates-sql.ts';

/**
 * Folds the event rows of event-aggregates-sql.ts (events strictly before their cutoff row's
 * asOf, in any order) into the aggregate columns of a zero-filled table. Each step is
 * features/eventAggregates' online step, term by term, on one column per aggregate instead
 * of one record per lead: window starts `asOf - w * DAY_MS`, the decayed weights (computed
 * per event in SQL with the same expression) summed per event, recency
 * `(asOf - at) / DAY_MS`, the last type the latest one with ties to the greatest name.
 * Until finish(), the recency columns hold the latest (earliest) time.
 *
 * Distinct active days: a row's events mostly arrive in time order, so a day after the row's
 * latest one is new and the same day is not. The (row, day) pairs that look new are kept
 * (12 bytes each), and a row that saw a day before its latest is recounted from them in finish().
 */
export class EventFold {
  private readonly nw: number;
  private readonly np: number;
  private readonly windowMs: number[];
  private readonly total: Float64Array;
  private readonly totalWindows: Float64Array[];
  private readonly activeDays: Float64Array;
  private readonly first: Float64Array;
  private readonly last: Float64Array;
  private readonly perType: { count: Float64Array; windows: Float64Array[]; since: Float64Array; decayed: Float64Array; sums: Float64Array[] }[];
  /** Latest day counted per row. */
  private readonly lastDay: Float64Array;
  /** Rows that saw a day before their latest one. */
  private readonly unordered: Uint8Array;
  private anyUnordered = false;
  private pairRows = new Int32Array(1 << 16);
  private pairDays = new Float64Array(1 << 16);
  private pairs = 0;

  constructor(
    private readonly table: AggregateTable,
    private readonly options: EventAggregateOptions,
    private readonly asOf: ArrayLike<number>,
  ) {
    const byName = new Map(table.names.map((name, k) => [name, table.numeric[k]!]));
    const col = (name: string) => {
      const c = byName.get(name);
      if (!c) throw new Error(`no aggregate column ${name}`);
      return c;
    };
    const w = (d: number) => `${d}d`;
    this.nw = options.windowsDays.length;
    this.np = options.numericProperties.length;
    this.windowMs = options.windowsDays.map((d) => d * DAY_MS);
    this.total = col('events.count');
    this.totalWindows = options.windowsDays.map((d) => col(`events.count.${w(d)}`));
    this.activeDays = col('events.active_days');
    this.first = col('events.days_since_first');
    this.last = col('events.days_since_last');
    this.lastDay = new Float64Array(table.rowCount);
    this.unordered = new Uint8Array(table.rowCount);
    this.perType = options.types.map((t) => ({
      count: col(`events.${t}.count`),
      windows: options.windowsDays.map((d) => col(`events.${t}.count.${w(d)}`)),
      since: col(`events.${t}.days_since_last`),
      decayed: col(`events.${t}.decayed`),
      sums: options.numericProperties.map((p) => col(`events.${t}.${p}.sum`)),
    }));
  }

  /** Adds one chunk of event rows. */
  add(chunk: DuckDBDataChunk): void {
    const { nw, np, windowMs, total, totalWindows, first, last, activeDays, lastDay, perType } = this;
    const lastType = this.table.lastType;
    const cutoff = this.asOf;
    const types = this.options.types;
    const rows = chunk.rowCount;
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
      const type = code === 0 ? ((otherType ??= chunk.getColumnVector(eventColumns.otherType)).getItem(i) as string) : types[code - 1]!;
      const day = Math.floor(at / DAY_MS);
      if (++total[r]! === 1) {
        first[r] = at;
        last[r] = at;
        lastType[r] = type;
        activeDays[r] = 1;
        lastDay[r] = day;
        this.keepPair(r, day);
      } else {
        if (at < first[r]!) first[r] = at;
        if (at > last[r]! || (at === last[r] && type > lastType[r]!)) {
          last[r] = at;
          lastType[r] = type;
        }
        if (day !== lastDay[r]) {
          if (day > lastDay[r]!) {
            activeDays[r]!++;
            lastDay[r] = day;
          } else if (this.unordered[r] === 0) {
            this.unordered[r] = 1;
            this.anyUnordered = true;
          }
          this.keepPair(r, day);
        }
      }
      for (let k = 0; k < nw; k++) if (at >= asOf - windowMs[k]!) totalWindows[k]![r]!++;
      if (code === 0) continue;
      const p = perType[code - 1]!;
      if (++p.count[r]! === 1 || at > p.since[r]!) p.since[r] = at;
      for (let k = 0; k < nw; k++) if (at >= asOf - windowMs[k]!) p.windows[k]![r]!++;
      p.decayed[r]! += decay[i]!;
      for (let k = 0; k < np; k++) p.sums[k]![r]! += props[k]![i]!;
    }
  }

  private keepPair(r: number, day: number): void {
    if (this.pairs === this.pairRows.length) {
      const rows = new Int32Array(this.pairs * 2);
      rows.set(this.pairRows);
      this.pairRows = rows;
      const days = new Float64Array(this.pairs * 2);
      days.set(this.pairDays);
      this.pairDays = days;
    }
    this.pairRows[this.pairs] = r;
    this.pairDays[this.pairs++] = day;
  }

  /** Turns the latest and earliest times into days before asOf (NaN without such events), once every row is in. */
  finish(): void {
    const { first, last, total, perType } = this;
    const n = this.table.rowCount;
    const cutoff = this.asOf;
    const since = (column: Float64Array, count: Float64Array) => {
      for (let r = 0; r < n; r++) column[r] = count[r] === 0 ? NaN : (cutoff[r]! - column[r]!) / DAY_MS;
    };
    since(first, total);
    since(last, total);
    for (const p of perType) since(p.since, p.count);
    if (this.anyUnordered) this.recountUnordered();
  }

  /** Active days of the rows whose days came out of order: their distinct kept days. */
  private recountUnordered(): void {
    const days = new Map<number, Set<number>>();
    for (let i = 0; i < this.pairs; i++) {
      const r = this.pairRows[i]!;
      if (this.unordered[r] === 0) continue;
      let set = days.get(r);
      if (!set) days.set(r, (set = new Set()));
      set.add(this.pairDays[i]!);
    }
    for (const [r, set] of days) this.activeDays[r] = set.size;
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
