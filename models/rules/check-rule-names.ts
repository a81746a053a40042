import { UnknownRuleNamesError } from './unknown-rule-names-error.ts';

/** What a rules file names: the columns its attribute rules read and the event types its event rules count. */
export interface RuleNames {
  readonly columns: readonly string[];
  readonly eventTypes: readonly string[];
}

/** What the data has: its columns, and the event types of its events file (undefined without one). */
export interface KnownNames {
  /** Where the columns come from, for the message (a file). */
  source: string;
  columns: Iterable<string>;
  eventTypes?: ReadonlySet<string>;
}

/**
 * Refuses rules that name a column the data lacks or an event type its events never have:
 * such a rule silently never fires (or, testing for missing, always fires), and the rule
 * scores it is compared with are wrong. `allowFlag` names the way to go ahead anyway.
 */
export function checkRuleNames(
  rules: RuleNames,
  known: KnownNames,
  rulesFile: string,
  allowFlag = '--allow-unknown-rule-columns',
): void {
  const columns = new Set(known.columns);
  const unknownColumns = rules.columns.filter((c) => !columns.has(c));
  const unknownTypes = rules.eventTypes.filter((t) => !known.eventTypes?.has(t));
  if (unknownColumns.length === 0 && unknownTypes.length === 0) return;
  const parts: string[] = [];
  if (unknownColumns.length > 0)
    parts.push(`column${unknownColumns.length > 1 ? 's' : ''} ${quoted(unknownColumns)} not in ${known.source}`);
  if (unknownTypes.length > 0) {
    const where = known.eventTypes ? 'never in the events file' : 'but the config has no events file';
    parts.push(`event type${unknownTypes.length > 1 ? 's' : ''} ${quoted(unknownTypes)} ${where}`);
  }
  throw new UnknownRuleNamesError(
    `${rulesFile}: rules name ${parts.join(', and ')}, so the rule scores would be wrong (fix the names, or pass ${allowFlag})`,
    unknownColumns,
    unknownTypes,
  );
}

function quoted(names: readonly string[]): string {
  return names.map((n) => JSON.stringify(n)).join(', ');
}
