import { z } from 'zod';
import { TierThresholds } from '../tier-thresholds.ts';

/** A file of the artifact with its content hash, checked on load. */
export const ArtifactFile = z
  .object({ sha256: z.string().regex(/^[0-9a-f]{64}$/), bytes: z.number().int().nonnegative() })
  .strict();
export type ArtifactFile = z.infer<typeof ArtifactFile>;

/** An input file the model was trained from, fingerprinted. */
export const InputFingerprint = z
  .object({ role: z.string(), path: z.string(), sha256: z.string(), bytes: z.number().int().nonnegative() })
  .strict();
export type InputFingerprint = z.infer<typeof InputFingerprint>;

export const MANIFEST_FORMAT = 'leadscore-model/1';

/**
 * `manifest.json` of a model version: what was trained on what, how, and how well, plus
 * the hash of every other file so a changed or missing part is caught on load.
 */
export const Manifest = z
  .object({
    format: z.literal(MANIFEST_FORMAT),
    /** Version id, e.g. `bank-marketing-20261123-101500-3f2a`. */
    version: z.string().min(1),
    createdAt: z.string(),
    /** The dataset config's name. */
    dataset: z.string(),
    /** Fingerprints of the leads, events and outcomes files, and their combined hash. */
    inputs: z.array(InputFingerprint),
    fingerprint: z.string(),
    /** The dataset config as used (paths absolute). */
    config: z.record(z.string(), z.unknown()),
    featureSpecHash: z.string(),
    featureCount: z.number().int().positive(),
    model: z.object({ kind: z.string(), options: z.record(z.string(), z.unknown()) }).strict(),
    calibration: z.enum(['platt', 'isotonic', 'none']),
    backend: z.string(),
    seed: z.number().int(),
    tiers: TierThresholds,
    /** The rules file shipped beside the model, when the config has one. */
    rules: z
      .object({
        name: z.string(),
        file: z.string(),
        /**
         * Names the rules read that the training data lacked (columns) or never had (event
         * types): present only when trained with `--allow-unknown-rule-columns`, so a worker
         * can refuse such rules as train and score do.
         */
        unknownNames: z
          .object({ columns: z.array(z.string()), eventTypes: z.array(z.string()) })
          .strict()
          .optional(),
      })
      .strict()
      .nullable(),
    /** Held-out metrics of the model and the rules (the comparison object). */
    metrics: z.record(z.string(), z.unknown()),
    /** Every other file of the artifact, by name. */
    files: z.record(z.string(), ArtifactFile),
    /**
     * The manifest's own hash: sha256 of its canonical JSON (keys sorted) without this
     * field, so an edit to the manifest (tier names, thresholds, version) is caught as an
     * edit to any other file is. Written by every artifact; LeadModel refuses one without it.
     */
    selfSha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .optional(),
  })
  .strict();
export type Manifest = z.infer<typeof Manifest>;
