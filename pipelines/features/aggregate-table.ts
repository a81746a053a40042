import { aggregateColumns, type AggregateMeasure, type EventAggregateOptions } from '../../features/event-aggregates.ts';

/** Where a numeric aggregate lives in the table. */
type Slot = { at: 'row'; column: Float64Array; nullWithoutEvents: boolean } | { at: 'pair'; type: number; offset: number; nullWithoutEvents: boolean };

/**
 * Event aggregates per cutoff row (row i belongs to cutoff i), as EventFold leaves them.
 *
 * The lead-level aggregates are dense columns (`rows`). The per-type ones are kept only for
 * the (row, type) pairs that have events, a few per lead where a dense table would hold every
 * type of every lead: `pairIndex[row * types + type]` is 0 without events, else 1 + the pair's
 * place in `pairValues`, `pairStride` numbers each. Rows without events read as counts of 0
 * and null recencies, as the online engine gives them.
 */
export class AggregateTable {
  /** The numeric aggregates, in aggregate order (`events.last_type` is `lastType`). */
  readonly names: string[];
  /** The last event type per row, null without events. */
  readonly lastType: (string | null)[];
  /**
   * Lead-level columns, zero where a row has no events: count, one per window, active days,
   * then the latest and earliest event times (days before asOf once EventFold finishes).
   */
  readonly rows: { count: Float64Array; windows: Float64Array[]; activeDays: Float64Array; last: Float64Array; first: Float64Array };
  readonly typeCount: number;
  readonly pairIndex: Int32Array;
  /** Per pair: count, one count per window, latest time (days since once finished), decayed sum, one sum per property. */
  readonly pairStride: number;
  /** Offsets in a pair's numbers. */
  readonly pairOffsets: { windows: number; since: number; decayed: number; sums: number };
  pairValues: Float64Array;
  /** The row of each pair. */
  pairRows: Int32Array;
  pairCount = 0;
  private readonly slots: Slot[];

  constructor(
    readonly rowCount: number,
    options: EventAggregateOptions,
    /** Pairs to make room for at once (more are made room for when needed). */
    pairCapacity = 1024,
  ) {
    const nw = options.windowsDays.length;
    const column = () => new Float64Array(rowCount);
    this.rows = { count: column(), windows: options.windowsDays.map(column), activeDays: column(), last: column(), first: column() };
    this.typeCount = options.types.length;
    this.pairIndex = new Int32Array(rowCount * this.typeCount);
    this.pairOffsets = { windows: 1, since: 1 + nw, decayed: 2 + nw, sums: 3 + nw };
    this.pairStride = 3 + nw + options.numericProperties.length;
    this.pairValues = new Float64Array(Math.max(1, pairCapacity) * this.pairStride);
    this.pairRows = new Int32Array(Math.max(1, pairCapacity));
    this.lastType = new Array<string | null>(rowCount).fill(null);
    const numeric = aggregateColumns(options).filter((c) => c.type === 'numeric');
    this.names = numeric.map((c) => c.name);
    this.slots = numeric.map((c) => this.slotOf(c.measure, options));
  }

  /** Aggregate `k` (an index of `names`) of row `row`; NaN where it is null. */
  value(k: number, row: number): number {
    const slot = this.slots[k]!;
    if (slot.at === 'row') return slot.nullWithoutEvents && this.rows.count[row] === 0 ? NaN : slot.column[row]!;
    const pair = this.pairIndex[row * this.typeCount + slot.type]!;
    if (pair === 0) return slot.nullWithoutEvents ? NaN : 0;
    return this.pairValues[(pair - 1) * this.pairStride + slot.offset]!;
  }

  /**
   * Aggregate `k` of every row as frame values: numbers, null where null. An aggregate that
   * is never null is filled by its own loop: V8 keeps the numbers of an array unboxed only
   * while nothing but numbers was ever stored through the same code, and a boxed number per
   * row made joining the columns onto a large frame take seconds.
   */
  frameValues(k: number): (number | null)[] {
    const slot = this.slots[k]!;
    if (!slot.nullWithoutEvents) return this.numbers(slot);
    const n = this.rowCount;
    const count = this.rows.count;
    const out = new Array<number | null>(n);
    if (slot.at === 'row') {
      const column = slot.column;
      for (let r = 0; r < n; r++) out[r] = count[r] === 0 ? null : column[r]!;
      return out;
    }
    const { pairIndex, pairValues, pairStride, typeCount } = this;
    for (let r = 0, key = slot.type; r < n; r++, key += typeCount) {
      const pair = pairIndex[key]!;
      out[r] = pair === 0 ? null : pairValues[(pair - 1) * pairStride + slot.offset]!;
    }
    return out;
  }

  /** The values of an aggregate that is never null (0 for a row without events). */
  private numbers(slot: Slot): number[] {
    const n = this.rowCount;
    const out = new Array<number>(n);
    if (slot.at === 'row') {
      const column = slot.column;
      for (let r = 0; r < n; r++) out[r] = column[r]!;
      return out;
    }
    const { pairIndex, pairValues, pairStride, typeCount } = this;
    for (let r = 0, key = slot.type; r < n; r++, key += typeCount) {
      const pair = pairIndex[key]!;
      out[r] = pair === 0 ? 0 : pairValues[(pair - 1) * pairStride + slot.offset]!;
    }
    return out;
  }

  /** Makes room for at least `pairs` pairs. */
  reservePairs(pairs: number): void {
    if (pairs <= this.pairRows.length) return;
    const capacity = Math.max(pairs, this.pairRows.length * 2);
    const values = new Float64Array(capacity * this.pairStride);
    values.set(this.pairValues.subarray(0, this.pairCount * this.pairStride));
    this.pairValues = values;
    const rows = new Int32Array(capacity);
    rows.set(this.pairRows.subarray(0, this.pairCount));
    this.pairRows = rows;
  }

  private slotOf(m: AggregateMeasure, options: EventAggregateOptions): Slot {
    const type = 'type' in m && m.type !== undefined ? options.types.indexOf(m.type) : -1;
    const o = this.pairOffsets;
    switch (m.kind) {
      case 'count':
        if (m.windowDays === undefined) return type < 0 ? this.row(this.rows.count) : { at: 'pair', type, offset: 0, nullWithoutEvents: false };
        return type < 0 ? this.row(this.rows.windows[options.windowsDays.indexOf(m.windowDays)]!) : { at: 'pair', type, offset: o.windows + options.windowsDays.indexOf(m.windowDays), nullWithoutEvents: false };
      case 'active_days':
        return this.row(this.rows.activeDays);
      case 'days_since_first':
        return this.row(this.rows.first, true);
      case 'days_since_last':
        return type < 0 ? this.row(this.rows.last, true) : { at: 'pair', type, offset: o.since, nullWithoutEvents: true };
      case 'decayed':
        return { at: 'pair', type, offset: o.decayed, nullWithoutEvents: false };
      case 'sum':
        return { at: 'pair', type, offset: o.sums + options.numericProperties.indexOf(m.property), nullWithoutEvents: false };
      case 'last_type':
        throw new Error('events.last_type is not numeric');
    }
  }

  private row(column: Float64Array, nullWithoutEvents = false): Slot {
    return { at: 'row', column, nullWithoutEvents };
  }
}
