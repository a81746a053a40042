import type { DuckDBDataChunk } from '@duckdb/node-api';
import type { RuleEngine } from '../../models/rules/rule-engine.ts';
import type { RuleEventTally } from '../../models/rules/rule-event-tally.ts';
import { float64Column, int32Column } from '../io/duckdb-columns.ts';

const NO_RULES: readonly number[] = [];

/** Where a query's rows hold what the tally reads. */
export interface TallyColumns {
  row: number;
  /** 1 + index in the rules' types (ruleEventParts' types), 0 for another type. */
  code: number;
  /** Epoch ms. */
  ts: number;
  /** The first of the properties the rules filter on, in the order given to TallyFold. */
  firstProperty: number;
}

/** The event types the rules count, and the event columns their filters read that `columns` has. */
export function ruleEventParts(
  engine: RuleEngine,
  columns: (name: string) => boolean,
): { types: string[]; properties: string[] } {
  return { types: [...engine.eventRulesByType.keys()], properties: engine.eventProperties.filter(columns) };
}

/**
 * Folds rows of events (lead row, rule type code, time, the rules' properties) into a tally:
 * those of batchRuleTally's query, or of the aggregate query that reads the rules' columns
 * too (batchEventAggregates with `rules`), which brings every event: an event of a type no rule counts is
 * skipped unless the latest event's time counts (linear decay), as that query would.
 */
export class TallyFold {
  private readonly rulesOf: readonly (readonly number[])[];
  private readonly props: Record<string, unknown> = {};
  private readonly everyType: boolean;

  constructor(
    engine: RuleEngine,
    private readonly tally: RuleEventTally,
    private readonly asOf: ArrayLike<number>,
    private readonly properties: readonly string[],
    private readonly at: TallyColumns,
  ) {
    // In the order of ruleEventParts' types: code k is the (k-1)th type's rules.
    this.rulesOf = [NO_RULES, ...engine.eventRulesByType.values()];
    this.everyType = engine.usesLastEvent;
  }

  /** Adds one chunk of rows. */
  add(chunk: DuckDBDataChunk): void {
    const { tally, asOf, rulesOf, properties, props, at, everyType } = this;
    const n = chunk.rowCount;
    const rows = int32Column(chunk, at.row, n);
    const codes = int32Column(chunk, at.code, n);
    const times = float64Column(chunk, at.ts, n);
    // Property columns are read only when some rule filters on them; one object serves every event.
    const values = properties.map((_, k) => chunk.getColumnValues(at.firstProperty + k));
    const bag = properties.length > 0 ? (props as Record<string, number>) : undefined;
    for (let i = 0; i < n; i++) {
      const code = codes[i]!;
      if (code === 0 && !everyType) continue;
      for (let k = 0; k < properties.length; k++) props[properties[k]!] = values[k]![i] ?? null;
      const r = rows[i]!;
      tally.add(r, rulesOf[code]!, times[i]!, asOf[r]!, bag);
    }
  }
}
