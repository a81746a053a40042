import { z } from 'zod';

/**
 * Everything the report and `compare` need, and nothing more: per-lead arrays on the
 * evaluated rows (label, model probability, rule score, both tiers), the tier order of
 * each scorer, the features that move scores most, and where the numbers came from.
 * Every chart is computed from these arrays, so a ReportData JSON file is enough to
 * reproduce a report.
 */

/** Where the numbers came from, printed at the foot of the report. */
export const ReportProvenance = z
  .object({
    /** Fingerprint (hash) of the data the rows were scored from. */
    dataFingerprint: z.string().min(1),
    /** Version (folder name or id) of the model artifact. */
    modelVersion: z.string().min(1),
    /** When the report numbers were computed, ISO 8601. */
    generatedAt: z.iso.datetime({ offset: true }),
    /** The data file evaluated, as given on the command line. Optional. */
    dataFile: z.string().optional(),
    /** Model family (e.g. `logistic`, `mlp`). Optional. */
    modelKind: z.string().optional(),
    /** Name of the rules file the rule scores come from. Optional. */
    rulesName: z.string().optional(),
    /** Which rows these are (e.g. `held-out test rows`). Optional. */
    rows: z.string().optional(),
  })
  .strict();
export type ReportProvenance = z.infer<typeof ReportProvenance>;

/** One feature's influence on the score; the sign says the direction (positive raises the score). */
export const FeatureWeight = z
  .object({
    feature: z.string().min(1),
    weight: z.number().finite(),
  })
  .strict();
export type FeatureWeight = z.infer<typeof FeatureWeight>;

/** Where a tier starts, in the scorer's own units (model: score 0-100; rules: points); null for the last tier or an empty one. */
export const TierCutoff = z.object({ tier: z.string().min(1), from: z.number().finite().nullable() }).strict();
export type TierCutoff = z.infer<typeof TierCutoff>;

/** Each scorer's tier cut-offs and how they were set, in words. */
export const TierCutoffs = z
  .object({
    model: z.array(TierCutoff),
    rules: z.array(TierCutoff),
    /** How the model's tiers are set (by share of leads or by target conversion rate), in a sentence. */
    modelPolicy: z.string().min(1),
    /** How the rules' tiers are set, in a sentence. */
    rulesPolicy: z.string().min(1),
  })
  .strict();
export type TierCutoffs = z.infer<typeof TierCutoffs>;

/** Per-lead values, one entry per evaluated lead, all arrays of the same length. */
export const ReportRows = z
  .object({
    /** 1 = converted, 0 = not. */
    label: z.array(z.union([z.literal(0), z.literal(1)])).min(1),
    /** The model's calibrated probability of conversion. */
    modelProbability: z.array(z.number().min(0).max(1)),
    /** The rules' total points. */
    ruleScore: z.array(z.number().finite()),
    /** The model tier of each lead (a name from `modelTiers`). */
    modelTier: z.array(z.string()),
    /** The rule tier of each lead (a name from `ruleTiers`). */
    ruleTier: z.array(z.string()),
  })
  .strict();
export type ReportRows = z.infer<typeof ReportRows>;

const TierOrder = z
  .array(z.string().min(1))
  .min(1)
  .refine((names) => new Set(names).size === names.length, { message: 'duplicate tier name' });

/** The input of `renderReport` and `formatCompare`. */
export const ReportData = z
  .object({
    /** Heading of the report. Default `Lead scoring report: model vs rules`. */
    title: z.string().min(1).default('Lead scoring report: model vs rules'),
    provenance: ReportProvenance,
    /** Model tier names, best first. */
    modelTiers: TierOrder,
    /** Rule tier names, best first. */
    ruleTiers: TierOrder,
    rows: ReportRows,
    /** Features that move the model's scores, any order; the report shows the largest by |weight|. */
    featureImportances: z.array(FeatureWeight),
    /** Unit of the feature weights: `points` a lead gains or loses on the 0-100 score, or `log-odds`. Default log-odds. */
    featureUnit: z.enum(['points', 'log-odds']).default('log-odds'),
    /** Where each tier starts and why. Optional. */
    tierCutoffs: TierCutoffs.optional(),
  })
  .strict()
  .superRefine((data, ctx) => {
    const n = data.rows.label.length;
    const converted = data.rows.label.reduce<number>((a, b) => a + b, 0);
    if (converted === 0 || converted === n) {
      ctx.addIssue({
        code: 'custom',
        path: ['rows', 'label'],
        message: `${converted} of ${n} leads converted; the report needs both converted and unconverted leads`,
      });
    }
    for (const key of ['modelProbability', 'ruleScore', 'modelTier', 'ruleTier'] as const) {
      if (data.rows[key].length !== n) {
        ctx.addIssue({
          code: 'custom',
          path: ['rows', key],
          message: `has ${data.rows[key].length} values, rows.label has ${n}`,
        });
      }
    }
    const checkTiers = (key: 'modelTier' | 'ruleTier', order: string[]) => {
      const known = new Set(order);
      const bad = data.rows[key].findIndex((t) => !known.has(t));
      if (bad >= 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['rows', key, bad],
          message: `unknown tier "${data.rows[key][bad]}" (expected one of ${order.join(', ')})`,
        });
      }
    };
    checkTiers('modelTier', data.modelTiers);
    checkTiers('ruleTier', data.ruleTiers);
  });
export type ReportData = z.infer<typeof ReportData>;
/** ReportData before defaults are applied (what a JSON file or a caller may pass). */
export type ReportDataInput = z.input<typeof ReportData>;
