import { z } from 'zod';
import { patternProblem } from './safe-pattern.ts';

/**
 * The rules file: marketing's points system as data (YAML or JSON). Nothing in it is ever
 * evaluated as code; patterns are bounded in length and compiled once.
 */

/** Longest pattern accepted, so a rule cannot smuggle in a pathological regular expression. */
export const MAX_PATTERN_LENGTH = 200;

/** A plain value a rule compares with. Strings compare case-insensitively. */
export const RuleValue = z.union([z.string(), z.number().finite(), z.boolean()]);
export type RuleValue = z.infer<typeof RuleValue>;

/** A numeric interval: `atLeast` is inclusive, `below` exclusive; either may be left open. */
export const RuleRange = z
  .object({
    atLeast: z.number().finite().describe('Lower bound, inclusive. Default open.').optional(),
    below: z.number().finite().describe('Upper bound, exclusive. Default open.').optional(),
  })
  .strict()
  .refine((r) => r.atLeast !== undefined || r.below !== undefined, { message: 'give atLeast, below or both' })
  .refine((r) => r.atLeast === undefined || r.below === undefined || r.atLeast < r.below, {
    message: 'atLeast must be smaller than below',
  });
export type RuleRange = z.infer<typeof RuleRange>;

const RuleId = z
  .string()
  .min(1)
  .max(80)
  .regex(/^[A-Za-z0-9][\w.-]*$/, 'use letters, digits, "_", "." or "-" (starting with a letter or digit)');

const Points = z.number().finite();

/** The conditions an attribute rule may use; a rule uses exactly one. */
export const ATTRIBUTE_CONDITIONS = [
  'equals',
  'oneOf',
  'notOneOf',
  'range',
  'pattern',
  'missing',
  'present',
  'daysAgo',
] as const;

const conditionFields = {
  column: z.string().min(1).describe('Column (attribute) the rule reads.'),
  equals: RuleValue.describe('The value equals this (strings case-insensitive, numbers numerically).').optional(),
  oneOf: z.array(RuleValue).min(1).describe('The value is one of these.').optional(),
  notOneOf: z.array(RuleValue).min(1).describe('The value is present and none of these.').optional(),
  range: RuleRange.describe('A number within this interval.').optional(),
  pattern: z
    .string()
    .min(1)
    .max(MAX_PATTERN_LENGTH)
    .superRefine((p, ctx) => {
      const problem = patternProblem(p);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .describe(
      `Case-insensitive regular expression searched in the text of the value (RE2 syntax, matched in linear time; at most ${MAX_PATTERN_LENGTH} characters; no back-references or look-around).`,
    )
    .optional(),
  missing: z.literal(true).describe('The value is missing (true).').optional(),
  present: z.literal(true).describe('The value is present (true).').optional(),
  daysAgo: RuleRange.describe(
    'A timestamp, not after the scoring time, whose age in days is within this interval.',
  ).optional(),
};

const ruleFields = {
  id: RuleId.describe('Unique name of the rule, shown in every breakdown.'),
  description: z.string().optional(),
  points: Points.describe('Points added when the condition holds; negative points subtract.'),
  score: z
    .enum(['fit', 'engagement'])
    .describe(
      'Sub-score the points count towards. Default fit (who the lead is); engagement for behaviour stored as attributes (visit counts, last activity).',
    )
    .default('fit'),
};

function oneCondition(
  condition: Partial<Record<(typeof ATTRIBUTE_CONDITIONS)[number], unknown>>,
  ctx: z.RefinementCtx,
): void {
  const used = ATTRIBUTE_CONDITIONS.filter((k) => condition[k] !== undefined);
  if (used.length !== 1) {
    ctx.addIssue({
      code: 'custom',
      path: used.length ? [used[1]!] : [],
      message: used.length
        ? `use one condition per rule, found ${used.join(' and ')}`
        : `needs one condition: ${ATTRIBUTE_CONDITIONS.join(', ')}`,
    });
  }
}

/**
 * One condition on one lead attribute (column). Missing values (null) match only
 * `missing`; every other condition is false on a missing value.
 */
export const AttributeCondition = z.object(conditionFields).strict().superRefine(oneCondition);
export type AttributeCondition = z.infer<typeof AttributeCondition>;

/** An explicit rule on one lead attribute: a condition (`column` and one test) worth points. */
export const AttributeRule = z
  .object({ ...ruleFields, ...conditionFields })
  .strict()
  .superRefine(oneCondition);
export type AttributeRule = z.infer<typeof AttributeRule>;

/** An explicit rule on several attributes: points when every condition holds (e.g. a senior title at a large company). */
export const AllRule = z
  .object({
    ...ruleFields,
    all: z
      .array(AttributeCondition)
      .min(2)
      .max(8)
      .describe('Conditions (each a column and one test) that must all hold.'),
  })
  .strict();
export type AllRule = z.infer<typeof AllRule>;

/** An implicit rule on engagement events: points per matching event before the scoring time. */
export const EventRule = z
  .object({
    id: RuleId.describe('Unique name of the rule, shown in every breakdown.'),
    description: z.string().optional(),
    event: z
      .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
      .describe('Event type, or several, matched exactly (e.g. `page_view`).'),
    where: z
      .record(z.string().min(1), z.union([RuleValue, z.array(RuleValue).min(1), RuleRange]))
      .describe(
        'Event property filters, all of which must hold: a value, a list meaning one of, or a numeric range ({atLeast, below}). Default none.',
      )
      .optional(),
    points: Points.describe('Points per occurrence; negative points subtract (unsubscribes, bounces).'),
    cap: z
      .number()
      .positive()
      .describe('Largest number of points, in absolute value, the rule can contribute. Default unbounded.')
      .optional(),
    withinDays: z
      .number()
      .positive()
      .describe('Only events in the last this many days before the scoring time count. Default all.')
      .optional(),
  })
  .strict();
export type EventRule = z.infer<typeof EventRule>;

/** A rule: on an attribute (`column`), on several attributes (`all`) or on events (`event`). */
export const Rule = z.union([AttributeRule, EventRule, AllRule]);
export type Rule = z.infer<typeof Rule>;

/** Optional bounds of a score. */
export const ScoreCaps = z
  .object({
    min: z.number().finite().describe('Lowest value of the score. Default unbounded.').optional(),
    max: z.number().finite().describe('Highest value of the score. Default unbounded.').optional(),
  })
  .strict()
  .refine((c) => c.min === undefined || c.max === undefined || c.min <= c.max, { message: 'min must not exceed max' });
export type ScoreCaps = z.infer<typeof ScoreCaps>;

/**
 * Time decay of event points, applied at scoring time. It only shrinks positive event
 * points (negative signals such as unsubscribes keep their full weight) and never turns
 * them negative.
 */
export const Decay = z.union([
  z
    .object({
      halfLifeDays: z.number().positive().describe("Each event's points halve every this many days."),
    })
    .strict(),
  z
    .object({
      pointsLost: z.number().positive().describe("Points lost per `everyDays` full days since the lead's last event."),
      everyDays: z.number().positive().describe('Length of one inactivity period in days.'),
    })
    .strict(),
]);
export type Decay = z.infer<typeof Decay>;

/** One tier; the last tier has no threshold and takes every lead below the others. */
export const Tier = z
  .object({
    name: z.string().min(1).max(40).describe('Tier name, e.g. SQL, MQL, hot.'),
    atLeast: z.number().finite().describe('Smallest total score of the tier.').optional(),
  })
  .strict();
export type Tier = z.infer<typeof Tier>;

/** A whole rules file. */
export const RulesFile = z
  .object({
    name: z.string().min(1).describe('Name of the points system.'),
    description: z.string().optional(),
    rules: z.array(Rule).min(1).describe('The rules, applied in order (the order of the breakdown).'),
    fit: ScoreCaps.describe('Bounds of the fit score (sum of fit rules).').optional(),
    engagement: ScoreCaps.describe(
      'Bounds of the engagement score (event and engagement rules, after decay).',
    ).optional(),
    total: ScoreCaps.describe('Bounds of the total (fit + engagement + manual adjustments).').optional(),
    decay: Decay.describe('Decay of event points. Default none.').optional(),
    tiers: z
      .array(Tier)
      .min(1)
      .max(16)
      .describe('Tiers, best first, with strictly decreasing thresholds; the last has none.'),
  })
  .strict()
  .superRefine((file, ctx) => {
    const seen = new Map<string, number>();
    file.rules.forEach((r, i) => {
      if (seen.has(r.id))
        ctx.addIssue({
          code: 'custom',
          path: ['rules', i, 'id'],
          message: `duplicate id (also rules[${seen.get(r.id)}])`,
        });
      else seen.set(r.id, i);
    });
    const names = new Set<string>();
    let previous = Infinity;
    file.tiers.forEach((t, i) => {
      const last = i === file.tiers.length - 1;
      if (names.has(t.name))
        ctx.addIssue({ code: 'custom', path: ['tiers', i, 'name'], message: 'duplicate tier name' });
      names.add(t.name);
      if (last && t.atLeast !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['tiers', i, 'atLeast'],
          message: 'the last tier takes every remaining lead: drop atLeast',
        });
      } else if (!last && t.atLeast === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['tiers', i, 'atLeast'],
          message: 'every tier but the last needs atLeast',
        });
      } else if (t.atLeast !== undefined) {
        if (t.atLeast >= previous)
          ctx.addIssue({
            code: 'custom',
            path: ['tiers', i, 'atLeast'],
            message: 'thresholds must decrease, best tier first',
          });
        previous = t.atLeast;
      }
    });
  });
export type RulesFile = z.infer<typeof RulesFile>;

/** True for a rule on events, false for a rule on an attribute. */
export function isEventRule(rule: Rule): rule is EventRule {
  return 'event' in rule;
}

/** True for a rule on one attribute (column). */
export function isAttributeRule(rule: Rule): rule is AttributeRule {
  return 'column' in rule;
}

/** True for a rule on several attributes (all). */
export function isAllRule(rule: Rule): rule is AllRule {
  return 'all' in rule;
}

/** The attribute conditions of a rule: itself for a one-column rule, its `all` list, none for an event rule. */
export function ruleConditions(rule: Rule): AttributeCondition[] {
  return isAttributeRule(rule) ? [rule] : isAllRule(rule) ? rule.all : [];
}
