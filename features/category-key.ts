/**
 * The one normalisation of category text, shared by the model's encoders (fitting and
 * encoding, batch and online) and the rule engine: surrounding whitespace is trimmed and
 * the text is case-folded, so `CELLULAR`, `cellular` and `Retired ` meet the values the
 * model was fitted on and the rules were written with. A column declared
 * `caseSensitive: true` in the dataset config keeps its case (only trimmed): codes where
 * `a` and `A` differ.
 */
export function categoryKey(text: string, caseSensitive = false): string {
  const t = text.trim();
  return caseSensitive ? t : t.toLowerCase();
}

/** The columns a dataset config declares `caseSensitive` (its `columns` section). */
export function caseSensitiveColumns(columns: Readonly<Record<string, { caseSensitive?: boolean }>>): Set<string> {
  return new Set(Object.entries(columns).flatMap(([name, spec]) => (spec.caseSensitive ? [name] : [])));
}
