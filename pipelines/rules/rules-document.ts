import { parseDocument } from 'yaml';
import { InputError } from '../../features/errors.ts';
import { parseRulesFile } from '../../models/rules/parse-rules-file.ts';
import { isEventRule, type RulesFile } from '../../models/rules/rules-file.ts';

/**
 * The text of `original` (a rules file's YAML or JSON) with the points, event caps and
 * tier thresholds of `updated`, which must hold the same rules and tiers in the same
 * order. Edited through the YAML document, so comments, key order and flow style stay as
 * the author wrote them; `note` goes on top as a comment. The result is checked by
 * parsing it back.
 */
export function rewriteRulesText(original: string, updated: RulesFile, source: string, note?: string): string {
  const doc = parseDocument(original);
  if (doc.errors.length > 0) throw new InputError(`${source}: ${doc.errors[0]!.message}`);
  updated.rules.forEach((rule, j) => {
    doc.setIn(['rules', j, 'points'], rule.points);
    if (isEventRule(rule) && rule.cap !== undefined) doc.setIn(['rules', j, 'cap'], Number(rule.cap.toFixed(4)));
  });
  updated.tiers.forEach((tier, k) => {
    if (tier.atLeast !== undefined) doc.setIn(['tiers', k, 'atLeast'], tier.atLeast);
  });
  if (note) doc.commentBefore = doc.commentBefore ? ` ${note}\n${doc.commentBefore}` : ` ${note}`;
  const text = doc.toString();
  parseRulesFile(parseDocument(text).toJS(), source);
  return text;
}
