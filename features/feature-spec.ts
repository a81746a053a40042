import { z } from 'zod';
import { EventAggregateOptions } from './event-aggregates.ts';

/**
 * The fitted state of the feature encoders: plain JSON, stored in the model artifact.
 * `encodeFrame` (batch) and `encodeLead` (online) read only this, so loading a spec back
 * rebuilds exactly the same encoder. Fitted by `fitFeatureSpec` on training rows only.
 */

/**
 * A numeric column: missing values take the training median (and set a missing
 * indicator when training had any), then the transform, then `(x - mean) / std`.
 */
export const NumericEncoder = z
  .object({
    kind: z.literal('numeric'),
    source: z.string(),
    label: z.string(),
    /** `log` is log1p(max(x, 0)); `quantile` maps x to its training CDF in [0, 1] by linear interpolation over `quantiles`. */
    transform: z.enum(['none', 'log', 'quantile']),
    /** Ascending training quantiles (101 cut points) for the quantile transform. */
    quantiles: z.array(z.number()).optional(),
    median: z.number(),
    mean: z.number(),
    std: z.number().positive(),
    missingIndicator: z.boolean(),
  })
  .strict();
export type NumericEncoder = z.infer<typeof NumericEncoder>;

/** A categorical column: one-hot over the vocabulary, then one "other" (rare or unseen) and one "missing" output. */
export const CategoricalEncoder = z
  .object({
    kind: z.literal('categorical'),
    source: z.string(),
    label: z.string(),
    /** Values seen at least minFrequency times on training rows, most frequent first (the most frequent spelling of each). */
    vocabulary: z.array(z.string()),
    /** Values match by case too; absent or false: by categoryKey (trimmed, case-folded). */
    caseSensitive: z.boolean().optional(),
    /** Words for raw values in reasons and reports (the dataset config's labels). Default none. */
    valueLabels: z.record(z.string(), z.string()).optional(),
  })
  .strict();
export type CategoricalEncoder = z.infer<typeof CategoricalEncoder>;

/** A boolean column: 1 for true, 0 for false or missing, plus a missing indicator when training had missing values. */
export const BooleanEncoder = z
  .object({ kind: z.literal('boolean'), source: z.string(), label: z.string(), missingIndicator: z.boolean() })
  .strict();
export type BooleanEncoder = z.infer<typeof BooleanEncoder>;

/**
 * A timestamp column: age in days at asOf (median-imputed, standardised), a missing
 * indicator when training had missing values, the UTC day of week one-hot, and the UTC
 * hour standardised (missing: the mean hour).
 */
export const TimestampEncoder = z
  .object({
    kind: z.literal('timestamp'),
    source: z.string(),
    label: z.string(),
    medianAgeDays: z.number(),
    ageMean: z.number(),
    ageStd: z.number().positive(),
    hourMean: z.number(),
    hourStd: z.number().positive(),
    missingIndicator: z.boolean(),
  })
  .strict();
export type TimestampEncoder = z.infer<typeof TimestampEncoder>;

/** An email column: free-mail domain, company domain, or missing (also: not an address). */
export const EmailEncoder = z
  .object({
    kind: z.literal('email'),
    source: z.string(),
    label: z.string(),
    /** Lower-case domains counted as free mail; kept in the spec so a later list change cannot alter a fitted model. */
    freeMailDomains: z.array(z.string()),
  })
  .strict();
export type EmailEncoder = z.infer<typeof EmailEncoder>;

export const ColumnEncoder = z.discriminatedUnion('kind', [
  NumericEncoder,
  CategoricalEncoder,
  BooleanEncoder,
  TimestampEncoder,
  EmailEncoder,
]);
export type ColumnEncoder = z.infer<typeof ColumnEncoder>;

export const FeatureSpec = z
  .object({
    version: z.literal(1),
    /** One encoder per source column, in output order. */
    encoders: z.array(ColumnEncoder),
    /** Event aggregation, when the features include engagement events (their columns are among `encoders`). */
    events: EventAggregateOptions.optional(),
    /**
     * The asOf used when none is given (batch data without point-in-time cutoffs): the latest
     * timestamp seen on training rows. Null when the data has no timestamps.
     */
    referenceAsOf: z.number().nullable(),
    /** Text values read as missing (the dataset config's missingValues), applied to online attributes as the loader does. */
    missingValues: z.array(z.string()),
  })
  .strict();
export type FeatureSpec = z.infer<typeof FeatureSpec>;

/** What one output column means, for reasons in words. */
export interface FeatureInfo {
  /** Output column name, unique within the spec, e.g. `Last Activity=SMS Sent`. */
  name: string;
  /** The source column (an attribute or an event aggregate). */
  source: string;
  /** Words for a reason: `Last Activity = SMS Sent`, or `TotalVisits` for a value whose raw number is shown next to it. */
  label: string;
  /**
   * `value`: a scaled number (show the raw value: `TotalVisits = 12`); `category`: one-hot of
   * a value; `other`: rare or unseen value; `missing`: the source is missing; `flag`: a yes/no
   * fact described fully by the label.
   */
  role: 'value' | 'category' | 'other' | 'missing' | 'flag';
}

const dayNames = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
export { dayNames };

/** The outputs of one encoder, in order. */
export function encoderOutputs(e: ColumnEncoder): FeatureInfo[] {
  const s = e.source;
  const missing: FeatureInfo = { name: `${s}.missing`, source: s, label: `${e.label} is missing`, role: 'missing' };
  switch (e.kind) {
    case 'numeric':
      return [{ name: s, source: s, label: e.label, role: 'value' }, ...(e.missingIndicator ? [missing] : [])];
    case 'boolean':
      return [
        { name: s, source: s, label: `${e.label} = yes`, role: 'flag' },
        ...(e.missingIndicator ? [missing] : []),
      ];
    case 'categorical':
      return [
        ...e.vocabulary.map((v): FeatureInfo => ({
          name: `${s}=${v}`,
          source: s,
          label: `${e.label} = ${e.valueLabels?.[v] ?? v}`,
          role: 'category',
        })),
        { name: `${s}=(other)`, source: s, label: `${e.label} = another value`, role: 'other' },
        { name: `${s}=(missing)`, source: s, label: `${e.label} is missing`, role: 'missing' },
      ];
    case 'timestamp':
      return [
        { name: `${s}.age_days`, source: s, label: `Days since ${e.label}`, role: 'value' },
        ...(e.missingIndicator ? [missing] : []),
        ...dayNames.map((d): FeatureInfo => ({
          name: `${s}.dow=${d}`,
          source: s,
          label: `${e.label} on a ${d}`,
          role: 'flag',
        })),
        { name: `${s}.hour`, source: s, label: `Hour of ${e.label} (UTC)`, role: 'value' },
      ];
    case 'email':
      return [
        { name: `${s}.free_mail`, source: s, label: `${e.label} is a free-mail address`, role: 'flag' },
        { name: `${s}.company_domain`, source: s, label: `${e.label} is a company address`, role: 'flag' },
        { name: `${s}.missing`, source: s, label: `${e.label} is missing or not an address`, role: 'missing' },
      ];
  }
}

/** Every output column with its meaning, in vector order. */
export function featureInfo(spec: FeatureSpec): FeatureInfo[] {
  return spec.encoders.flatMap(encoderOutputs);
}

/** The output column names, in vector order. */
export function featureNames(spec: FeatureSpec): string[] {
  return featureInfo(spec).map((f) => f.name);
}

/**
 * A content hash of the spec: 16 hex digits of two FNV-1a 32-bit hashes over the spec's
 * JSON with keys sorted, so key order never changes it. Pure (no node:crypto) because
 * features/ runs anywhere; it identifies a spec, it is not a security measure.
 */
export function specHash(spec: FeatureSpec): string {
  const text = canonicalJson(spec);
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193) ^ (b >>> 15);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}

/** JSON with object keys sorted at every level (undefined members dropped, as JSON.stringify does). */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** Parses a spec read back from an artifact (throws a ZodError on a malformed one). */
export function parseFeatureSpec(value: unknown): FeatureSpec {
  return FeatureSpec.parse(value);
}
