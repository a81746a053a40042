/**
 * Aggregates per cutoff row, columnar: `numeric[k]` is aggregate `names[k]` (NaN where the
 * value is null), `lastType` the last event type. Row i belongs to cutoff i.
 */
export interface AggregateTable {
  rowCount: number;
  names: string[];
  numeric: Float64Array[];
  lastType: (string | null)[];
}
