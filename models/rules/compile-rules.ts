import type { EngagementEvent } from '../../features/events.ts';
import { compileAttributeTest, valueKey } from './attribute-test.ts';
import type { Bounds, CompiledEventRule, CompiledRules } from './compiled-rules.ts';
import { RuleEngine } from './rule-engine.ts';
import { isEventRule, ruleConditions, type EventRule, type RulesFile, type ScoreCaps } from './rules-file.ts';

const DAY_MS = 86_400_000;

/** Distinct property strings remembered per filter. */
const PROPERTY_CACHE_LIMIT = 4_096;

/**
 * Turns a validated rules file into a scoring engine: patterns and value sets are compiled
 * once, event rules are indexed by event type. The rules file must come from `RulesFile`
 * (or `parseRulesFile`), which guarantees one condition per attribute rule. Text compares
 * by categoryKey, as the model's encoders do; `caseSensitiveColumns` are the columns the
 * dataset config declares `caseSensitive` (default none).
 */
export function compileRules(
  rules: RulesFile,
  options: { caseSensitiveColumns?: ReadonlySet<string> } = {},
): RuleEngine {
  const caseSensitive = options.caseSensitiveColumns ?? new Set<string>();
  const compiled: CompiledRules = {
    name: rules.name,
    ruleIds: rules.rules.map((r) => r.id),
    attributeRules: [],
    eventRules: [],
    rulesByEventType: new Map(),
    eventProperties: [...new Set(rules.rules.flatMap((r) => (isEventRule(r) && r.where ? Object.keys(r.where) : [])))],
    fit: bounds(rules.fit),
    engagement: bounds(rules.engagement),
    total: bounds(rules.total),
    decay: !rules.decay
      ? { kind: 'none' }
      : 'halfLifeDays' in rules.decay
        ? { kind: 'half-life', halfLifeMs: rules.decay.halfLifeDays * DAY_MS }
        : { kind: 'linear', pointsLost: rules.decay.pointsLost, everyMs: rules.decay.everyDays * DAY_MS },
    tierNames: rules.tiers.map((t) => t.name),
    tierThresholds: Float64Array.from(rules.tiers.slice(0, -1), (t) => t.atLeast ?? -Infinity),
  };
  for (const rule of rules.rules) {
    if (isEventRule(rule)) {
      const index = compiled.eventRules.length;
      compiled.eventRules.push(compileEventRule(rule));
      for (const type of new Set(Array.isArray(rule.event) ? rule.event : [rule.event])) {
        const list = compiled.rulesByEventType.get(type) ?? [];
        list.push(index);
        compiled.rulesByEventType.set(type, list);
      }
    } else {
      compiled.attributeRules.push({
        id: rule.id,
        conditions: ruleConditions(rule).map((c) => ({
          column: c.column,
          test: compileAttributeTest(c, caseSensitive.has(c.column)),
        })),
        points: rule.points,
        engagement: rule.score === 'engagement',
      });
    }
  }
  return new RuleEngine(compiled);
}

function bounds(caps: ScoreCaps | undefined): Bounds {
  return { min: caps?.min ?? -Infinity, max: caps?.max ?? Infinity };
}

function compileEventRule(rule: EventRule): CompiledEventRule {
  return {
    id: rule.id,
    points: rule.points,
    cap: rule.cap ?? Infinity,
    windowMs: rule.withinDays === undefined ? Infinity : rule.withinDays * DAY_MS,
    filter: rule.where ? compileWhere(rule.where) : null,
  };
}

/**
 * Every listed property must be present and match: one of the allowed values (compared as
 * in attribute rules) or, for a range, a number (numeric text counts) inside it.
 */
function compileWhere(where: NonNullable<EventRule['where']>): (properties: EngagementEvent['properties']) => boolean {
  const checks = Object.entries(where).map(([name, allowed]) => ({ name, test: propertyTest(allowed) }));
  return (properties) => {
    if (!properties) return false;
    const props = properties as Readonly<Record<string, unknown>>;
    for (const check of checks) {
      const v = props[check.name];
      if (v === null || v === undefined || !check.test(v)) return false;
    }
    return true;
  };
}

function propertyTest(allowed: NonNullable<EventRule['where']>[string]): (v: unknown) => boolean {
  if (typeof allowed === 'object' && !Array.isArray(allowed)) {
    const lo = allowed.atLeast ?? -Infinity;
    const hi = allowed.below ?? Infinity;
    return (v) => {
      const x = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
      return x >= lo && x < hi;
    };
  }
  const keys = new Set((Array.isArray(allowed) ? allowed : [allowed]).map((v) => valueKey(v)));
  // Property values repeat (a handful of page names), so each distinct string is keyed once.
  const cache = new Map<string, boolean>();
  return (v) => {
    if (typeof v !== 'string') return keys.has(valueKey(String(v)));
    let hit = cache.get(v);
    if (hit === undefined) {
      hit = keys.has(valueKey(v));
      if (cache.size < PROPERTY_CACHE_LIMIT) cache.set(v, hit);
    }
    return hit;
  };
}
