import type { DuckDBDataChunk } from '@duckdb/node-api';
import { DAY_MS, type EventAggregateOptions } from '../../features/event-aggregates.ts';
import type { AggregateTable } from './aggregate-table.ts';

/**
 * Folds the partial aggregates of event-aggregates-sql.ts into the final aggregate columns.
 * Totals are sums of per-type counts (exact integers); recency is `(asOf - max(at)) / DAY_MS`
 * and the last type the latest type with ties to the greatest name, exactly as
 * features/eventAggregates computes them online.
 */
export class PartialFold {
  private readonly col: (name: string) => Float64Array;
  private readonly maxAll: Float64Array;
  private readonly minAll: Float64Array;
  private readonly typeIndex: Map<string, number>;
  private readonly total: Float64Array;
  private readonly totalWindows: Float64Array[];
  private readonly activeDays: Float64Array;
  private readonly perType: { count: Float64Array; windows: Float64Array[]; since: Float64Array; decayed: Float64Array; sums: Float64Array[] }[];

  constructor(
    private readonly table: AggregateTable,
    private readonly options: EventAggregateOptions,
    private readonly asOf: ArrayLike<number>,
  ) {
    const byName = new Map(table.names.map((name, k) => [name, table.numeric[k]!]));
    this.col = (name) => {
      const c = byName.get(name);
      if (!c) throw new Error(`no aggregate column ${name}`);
      return c;
    };
    const w = (d: number) => `${d}d`;
    this.maxAll = new Float64Array(table.rowCount).fill(-Infinity);
    this.minAll = new Float64Array(table.rowCount).fill(Infinity);
    this.typeIndex = new Map(options.types.map((t, i) => [t, i]));
    this.total = this.col('events.count');
    this.totalWindows = options.windowsDays.map((d) => this.col(`events.count.${w(d)}`));
    this.activeDays = this.col('events.active_days');
    this.perType = options.types.map((t) => ({
      count: this.col(`events.${t}.count`),
      windows: options.windowsDays.map((d) => this.col(`events.${t}.count.${w(d)}`)),
      since: this.col(`events.${t}.days_since_last`),
      decayed: this.col(`events.${t}.decayed`),
      sums: options.numericProperties.map((p) => this.col(`events.${t}.${p}.sum`)),
    }));
  }

  /** Adds one chunk of partial rows. */
  add(chunk: DuckDBDataChunk): void {
    const rows = chunk.rowCount;
    const nw = this.options.windowsDays.length;
    const np = this.options.numericProperties.length;
    const v = Array.from({ length: chunk.columnCount }, (_, c) => chunk.getColumnVector(c));
    const num = (c: number, i: number) => v[c]!.getItem(i) as number;
    for (let i = 0; i < rows; i++) {
      const r = num(0, i);
      const type = v[1]!.getItem(i) as string | null;
      const n = num(2, i);
      if (type === null) {
        this.activeDays[r] = n;
        continue;
      }
      const maxTs = num(3 + nw, i);
      const minTs = num(4 + nw, i);
      this.total[r]! += n;
      for (let k = 0; k < nw; k++) this.totalWindows[k]![r]! += num(3 + k, i);
      const last = this.table.lastType[r];
      if (maxTs > this.maxAll[r]! || (maxTs === this.maxAll[r] && last !== null && last !== undefined && type > last)) {
        this.maxAll[r] = maxTs;
        this.table.lastType[r] = type;
      }
      if (minTs < this.minAll[r]!) this.minAll[r] = minTs;
      const t = this.typeIndex.get(type);
      if (t === undefined) continue;
      const p = this.perType[t]!;
      p.count[r] = n;
      for (let k = 0; k < nw; k++) p.windows[k]![r] = num(3 + k, i);
      p.since[r] = (this.asOf[r]! - maxTs) / DAY_MS;
      p.decayed[r] = num(5 + nw, i);
      for (let k = 0; k < np; k++) p.sums[k]![r] = num(6 + nw + k, i);
    }
  }

  /** Sets the overall recency columns once every partial row is in. */
  finish(): void {
    const last = this.col('events.days_since_last');
    const first = this.col('events.days_since_first');
    for (let r = 0; r < this.table.rowCount; r++) {
      if (this.maxAll[r] === -Infinity) continue;
      last[r] = (this.asOf[r]! - this.maxAll[r]!) / DAY_MS;
      first[r] = (this.asOf[r]! - this.minAll[r]!) / DAY_MS;
    }
  }
}
