import type { EngagementEvent } from '../../features/events.ts';
import type { AttributeTest } from './attribute-test.ts';

/** One compiled condition: the column it reads and its test. */
export interface CompiledCondition {
  column: string;
  test: AttributeTest;
}

/** An attribute rule ready to run (one condition, or several that must all hold); tests are compiled once. */
export interface CompiledAttributeRule {
  id: string;
  conditions: CompiledCondition[];
  points: number;
  /** Counts towards engagement instead of fit. */
  engagement: boolean;
}

/** An event rule ready to run. */
export interface CompiledEventRule {
  id: string;
  points: number;
  /** Largest absolute contribution; Infinity when uncapped. */
  cap: number;
  /** Oldest event age that counts, in ms; Infinity when every past event counts. */
  windowMs: number;
  /** Property filter, or null when the rule has none. */
  filter: ((properties: EngagementEvent['properties']) => boolean) | null;
}

/** Lower and upper bound of a score (±Infinity when open). */
export interface Bounds {
  min: number;
  max: number;
}

/** Everything the engine needs, resolved from a rules file. */
export interface CompiledRules {
  name: string;
  /** Every rule id, in file order. */
  ruleIds: string[];
  attributeRules: CompiledAttributeRule[];
  eventRules: CompiledEventRule[];
  /** Event type -> indices into eventRules, in rule order. */
  rulesByEventType: Map<string, number[]>;
  /** Event property names the rules filter on. */
  eventProperties: string[];
  fit: Bounds;
  engagement: Bounds;
  total: Bounds;
  decay:
    | { kind: 'none' }
    | { kind: 'half-life'; halfLifeMs: number }
    | { kind: 'linear'; pointsLost: number; everyMs: number };
  tierNames: string[];
  /** Thresholds of every tier but the last, best first (strictly decreasing). */
  tierThresholds: Float64Array;
}
