import { columnCells, type Frame, type FrameColumn } from '../../features/frame.ts';
import { valueKey } from './attribute-test.ts';
import { isAllRule, isEventRule, ruleConditions, type AttributeCondition, type RulesFile } from './rules-file.ts';

/**
 * Mistakes a valid rules file can still hold against real data: a column the data lacks,
 * a value that never occurs (usually a typo or a different spelling), a numeric condition
 * on a text column, an event type the events never have. Returns one message per problem,
 * naming the rule and the field.
 */
export function lintRules(rules: RulesFile, frame: Frame, eventTypes?: ReadonlySet<string>): string[] {
  const columns = new Map(frame.columns.map((c) => [c.name, c]));
  const warnings: string[] = [];
  const seenValues = new Map<string, Set<string>>();
  const valuesOf = (column: FrameColumn) => {
    let set = seenValues.get(column.name);
    if (!set) {
      set = new Set();
      for (const v of columnCells(column)) if (v !== null) set.add(valueKey(v));
      seenValues.set(column.name, set);
    }
    return set;
  };
  for (const rule of rules.rules) {
    const conditions = ruleConditions(rule);
    conditions.forEach((condition, k) => {
      const at = isAllRule(rule) ? `rule "${rule.id}": all.${k}.` : `rule "${rule.id}": `;
      const column = columns.get(condition.column);
      if (!column) {
        const consequence = condition.missing
          ? conditions.length === 1
            ? 'so it fires for every lead'
            : 'so it always holds'
          : 'so it never fires';
        warnings.push(`${at}column: "${condition.column}" is not a column of ${frame.source} (${consequence})`);
      } else {
        warnings.push(...conditionWarnings(at, condition, column, valuesOf));
      }
    });
    if (isEventRule(rule) && eventTypes) {
      for (const type of Array.isArray(rule.event) ? rule.event : [rule.event]) {
        if (!eventTypes.has(type)) warnings.push(`rule "${rule.id}": event: no "${type}" events in the events file`);
      }
    }
  }
  return warnings;
}

function conditionWarnings(
  at: string,
  rule: AttributeCondition,
  column: FrameColumn,
  valuesOf: (c: FrameColumn) => Set<string>,
): string[] {
  const numeric = column.type === 'numeric' || column.type === 'timestamp';
  if (rule.range && column.type !== 'numeric')
    return [`${at}range: column "${column.name}" is ${column.type}, not numeric (so it never fires)`];
  if (rule.daysAgo && column.type !== 'timestamp')
    return [`${at}daysAgo: column "${column.name}" is ${column.type}, not a timestamp (so it never fires)`];
  if (rule.pattern !== undefined && numeric)
    return [`${at}pattern: column "${column.name}" is ${column.type}; a pattern matches its digits`];
  const listed: [string, readonly (string | number | boolean)[]][] = [];
  if (rule.equals !== undefined) listed.push(['equals', [rule.equals]]);
  if (rule.oneOf) listed.push(['oneOf', rule.oneOf]);
  if (rule.notOneOf) listed.push(['notOneOf', rule.notOneOf]);
  const warnings: string[] = [];
  for (const [field, values] of listed) {
    const seen = valuesOf(column);
    const unseen = values.filter((v) => !seen.has(valueKey(v)));
    // An exclusion list may well name values this data lacks (a list of markets); only a list none of which occurs is suspect.
    if (field === 'notOneOf' && unseen.length < values.length) continue;
    if (unseen.length > 0) {
      warnings.push(
        `${at}${field}: ${unseen.map((v) => JSON.stringify(v)).join(', ')} never occur${unseen.length === 1 ? 's' : ''} in column "${column.name}"`,
      );
    }
  }
  return warnings;
}
