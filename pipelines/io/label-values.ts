import { InputError } from '../../features/errors.ts';

/** A label column's config: the values meaning converted, and optionally those meaning not. */
export interface LabelValuesConfig {
  column: string;
  positive: readonly string[];
  negative?: readonly string[];
}

export interface LabelValues {
  /** 1 = converted, 0 = not, per row; rows in `bad` hold 0. */
  label: Uint8Array;
  /** Row indices whose label is missing or in neither list, with why. */
  bad: { index: number; reason: string }[];
  /** The distinct values seen (as written, first spelling of each), for messages. */
  seen: string[];
}

/** How many distinct values a message lists. */
const shown = 10;

/**
 * Reads a label column. Values compare trimmed and case-insensitively. Without `negative`,
 * the column must hold at most two distinct values (yes/no, 1/0, TRUE/FALSE...), so that a
 * third class never turns into negatives unseen; with `negative`, a value in neither list is
 * a row error. A missing label is a row error. Not `strict` (scoring input, where the label
 * is not needed), nothing is refused.
 */
export function labelValues(
  values: readonly (string | null)[],
  config: LabelValuesConfig,
  where: string,
  strict = true,
): LabelValues {
  const norm = (v: string) => v.trim().toLowerCase();
  const positive = new Set(config.positive.map(norm));
  const negative = config.negative ? new Set(config.negative.map(norm)) : undefined;
  const distinct = new Map<string, string>();
  const label = new Uint8Array(values.length);
  const bad: LabelValues['bad'] = [];
  values.forEach((v, index) => {
    if (v === null) {
      if (strict) bad.push({ index, reason: `label "${config.column}" is missing` });
      return;
    }
    const key = norm(v);
    if (!distinct.has(key)) distinct.set(key, v.trim());
    if (positive.has(key)) label[index] = 1;
    else if (strict && negative && !negative.has(key)) {
      bad.push({
        index,
        reason: `label "${config.column}": "${v.trim()}" is neither positive (${config.positive.join(', ')}) nor negative (${config.negative!.join(', ')})`,
      });
    }
  });
  const seen = [...distinct.values()];
  if (strict && !negative && distinct.size > 2) {
    throw new InputError(
      `${where}: label "${config.column}" has ${distinct.size} distinct values (${listValues(seen)}), positive: ${config.positive.join(', ')}; ` +
        'give the values meaning not converted as label.negative, the others become row errors',
    );
  }
  return { label, bad, seen };
}

/** `"yes", "no", "maybe"` with at most ten values, then how many more. */
export function listValues(values: readonly string[]): string {
  const list = values
    .slice(0, shown)
    .map((v) => JSON.stringify(v))
    .join(', ');
  return values.length > shown ? `${list} and ${values.length - shown} more` : list;
}
