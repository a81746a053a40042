import {
  aggregateColumns,
  type AggregateMeasure,
  type EventAggregateOptions,
} from '../../features/event-aggregates.ts';
import { InvariantError } from '../../features/errors.ts';

/** Where a numeric aggregate lives in the table. */
type Slot =
  | { at: 'row'; column: Int32Array | Float64Array; nullWithoutEvents: boolean }
  | { at: 'pair'; type: number; column: Int32Array | Float64Array; nullWithoutEvents: boolean };

/**
 * Event aggregates per cutoff row (row i belongs to cutoff i), as EventFold leaves them.
 *
 * The lead-level aggregates are dense columns (`rows`). The per-type ones are kept only for
 * the (row, type) pairs that have events, a few per lead where a dense table would hold every
 * type of every lead: `pairIndex[row * types + type]` is 0 without events, else 1 + the pair's
 * place in the `pairs` columns. Rows without events read as counts of 0 and null recencies,
 * as the online engine gives them. Counts are 32-bit integers, times and sums doubles: the
 * table is written once, page by page, and its size is most of the fold's cost.
 */
export class AggregateTable {
  /** The numeric aggregates, in aggregate order (`events.last_type` is `lastType`). */
  readonly names: string[];
  /**
   * Lead-level columns, zero where a row has no events: count, one per window, active days,
   * then the latest and earliest event times (days before asOf once EventFold finishes).
   */
  readonly rows: {
    count: Int32Array;
    windows: Int32Array[];
    activeDays: Int32Array;
    last: Float64Array;
    first: Float64Array;
  };
  /**
   * The latest event's type per row: 0 without events, 1 + its index in the configured types,
   * or -(1 + its index in `otherTypes`) for a type that is not configured.
   */
  readonly lastTypeCode: Int32Array;
  /** Names of the types that are not configured, in the order the fold met them. */
  readonly otherTypes: string[] = [];
  private readonly otherCodes = new Map<string, number>();
  readonly typeCount: number;
  readonly pairIndex: Int32Array;
  /** Per pair: count, one count per window, days since the latest event, decayed sum, one sum per property. */
  pairs: { count: Int32Array; windows: Int32Array[]; since: Float64Array; decayed: Float64Array; sums: Float64Array[] };
  pairCount = 0;
  /** What each numeric aggregate measures, in `names` order. */
  private readonly measures: AggregateMeasure[];
  /** Where each numeric aggregate is read from: remade when the pair columns are. */
  private slots: Slot[];
  private lastTypeNames: (string | null)[] | undefined;

  constructor(
    readonly rowCount: number,
    private readonly options: EventAggregateOptions,
    /** Pairs to make room for at once (more are made room for when needed). */
    pairCapacity = 1024,
  ) {
    const ints = () => new Int32Array(rowCount);
    const doubles = () => new Float64Array(rowCount);
    this.rows = {
      count: ints(),
      windows: options.windowsDays.map(ints),
      activeDays: ints(),
      last: doubles(),
      first: doubles(),
    };
    this.lastTypeCode = ints();
    this.typeCount = options.types.length;
    this.pairIndex = new Int32Array(rowCount * this.typeCount);
    this.pairs = pairColumns(options, Math.max(1, pairCapacity));
    const numeric = aggregateColumns(options).filter((c) => c.type === 'numeric');
    this.names = numeric.map((c) => c.name);
    this.measures = numeric.map((c) => c.measure);
    this.slots = this.measures.map((m) => this.slotOf(m));
  }

  /** The last event type per row, null without events. */
  get lastType(): (string | null)[] {
    if (this.lastTypeNames) return this.lastTypeNames;
    const codes = this.lastTypeCode;
    const out = new Array<string | null>(this.rowCount);
    for (let r = 0; r < this.rowCount; r++) {
      const code = codes[r]!;
      out[r] = code === 0 ? null : this.typeName(code);
    }
    return (this.lastTypeNames = out);
  }

  /** Aggregate `k` (an index of `names`) of row `row`; NaN where it is null. */
  value(k: number, row: number): number {
    const slot = this.slots[k]!;
    if (slot.at === 'row') return slot.nullWithoutEvents && this.rows.count[row] === 0 ? NaN : slot.column[row]!;
    const pair = this.pairIndex[row * this.typeCount + slot.type]!;
    if (pair === 0) return slot.nullWithoutEvents ? NaN : 0;
    return slot.column[pair - 1]!;
  }

  /** Rows without any event before their cutoff. */
  withoutEvents(): number {
    let n = 0;
    for (let r = 0; r < this.rowCount; r++) if (this.rows.count[r] === 0) n++;
    return n;
  }

  /** Aggregate `k` of every row as a frame column's values: NaN where the aggregate is null. */
  frameValues(k: number): Float64Array {
    const slot = this.slots[k]!;
    const n = this.rowCount;
    const empty = slot.nullWithoutEvents ? NaN : 0;
    const out = new Float64Array(n);
    const column = slot.column;
    if (slot.at === 'row') {
      if (!slot.nullWithoutEvents) {
        out.set(column);
        return out;
      }
      const count = this.rows.count;
      for (let r = 0; r < n; r++) out[r] = count[r] === 0 ? NaN : column[r]!;
      return out;
    }
    const { pairIndex, typeCount } = this;
    for (let r = 0, key = slot.type; r < n; r++, key += typeCount) {
      const pair = pairIndex[key]!;
      out[r] = pair === 0 ? empty : column[pair - 1]!;
    }
    return out;
  }

  /**
   * Writes one zero into every memory page of the dense columns (the lead-level ones and the
   * pair index), so that the system maps them now rather than one page fault at a time in
   * the fold. batchEventAggregates calls it while DuckDB runs its query; a fresh table is
   * all zeros, so nothing changes. The cost: pages the fold would not have written (long
   * runs of leads without events) are resident too, at most the size of these columns (4
   * bytes per lead and type for the pair index).
   */
  prefault(): void {
    const r = this.rows;
    for (const column of [r.count, ...r.windows, r.activeDays, r.last, r.first, this.lastTypeCode, this.pairIndex]) {
      const step = PAGE_BYTES / column.BYTES_PER_ELEMENT;
      for (let i = 0; i < column.length; i += step) column[i] = 0;
    }
  }

  /** Makes room for at least `pairs` pairs. */
  reservePairs(pairs: number): void {
    const capacity = this.pairs.count.length;
    if (pairs <= capacity) return;
    const room = Math.max(pairs, capacity * 2);
    const used = this.pairCount;
    const old = this.pairs;
    const grow = <T extends Int32Array | Float64Array>(column: T) => grownCopy(column, used, room);
    this.pairs = {
      count: grow(old.count),
      windows: old.windows.map(grow),
      since: grow(old.since),
      decayed: grow(old.decayed),
      sums: old.sums.map(grow),
    };
    this.slots = this.measures.map((m) => this.slotOf(m));
  }

  /** The code of a type that is not configured (see `lastTypeCode`), given one on first sight. */
  otherTypeCode(name: string): number {
    let code = this.otherCodes.get(name);
    if (code === undefined) {
      this.otherTypes.push(name);
      code = -this.otherTypes.length;
      this.otherCodes.set(name, code);
    }
    return code;
  }

  /** The type name of a `lastTypeCode` other than 0. */
  typeName(code: number): string {
    return code > 0 ? this.options.types[code - 1]! : this.otherTypes[-code - 1]!;
  }

  private slotOf(m: AggregateMeasure): Slot {
    const options = this.options;
    const type = 'type' in m && m.type !== undefined ? options.types.indexOf(m.type) : -1;
    const p = this.pairs;
    const pair = (column: Int32Array | Float64Array, nullWithoutEvents = false): Slot => ({
      at: 'pair',
      type,
      column,
      nullWithoutEvents,
    });
    const row = (column: Int32Array | Float64Array, nullWithoutEvents = false): Slot => ({
      at: 'row',
      column,
      nullWithoutEvents,
    });
    switch (m.kind) {
      case 'count': {
        if (m.windowDays === undefined) return type < 0 ? row(this.rows.count) : pair(p.count);
        const w = options.windowsDays.indexOf(m.windowDays);
        return type < 0 ? row(this.rows.windows[w]!) : pair(p.windows[w]!);
      }
      case 'active_days':
        return row(this.rows.activeDays);
      case 'days_since_first':
        return row(this.rows.first, true);
      case 'days_since_last':
        return type < 0 ? row(this.rows.last, true) : pair(p.since, true);
      case 'decayed':
        return pair(p.decayed);
      case 'sum':
        return pair(p.sums[options.numericProperties.indexOf(m.property)]!);
      case 'last_type':
        throw new InvariantError('events.last_type is not numeric');
    }
  }
}

/** Bytes of a memory page (4 KiB on the systems Leadscore runs on; a larger page only makes prefault() touch some twice). */
const PAGE_BYTES = 4096;

/** A copy of `column` with room for `capacity` values, its first `used` ones kept. */
export function grownCopy<T extends Int32Array | Float64Array>(column: T, used: number, capacity: number): T {
  const grown = new (column.constructor as new (length: number) => T)(capacity);
  grown.set(column.subarray(0, used));
  return grown;
}

function pairColumns(options: EventAggregateOptions, capacity: number): AggregateTable['pairs'] {
  const ints = () => new Int32Array(capacity);
  const doubles = () => new Float64Array(capacity);
  return {
    count: ints(),
    windows: options.windowsDays.map(ints),
    since: doubles(),
    decayed: doubles(),
    sums: options.numericProperties.map(doubles),
  };
}
