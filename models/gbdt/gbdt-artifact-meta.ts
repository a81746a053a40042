/** The JSON half of a gradient-boosting artifact, checked on load. */

import { z } from 'zod';
import { InputError } from '../../features/errors.ts';
import { formatZodError } from '../../features/zod-error.ts';
import type { ScorerArtifact } from '../scorer.ts';
import { GbdtOptions } from './gbdt-options.ts';

/** `kind` of gradient-boosting scorers and their artifacts. */
export const GBDT_KIND = 'gradient-boosting';

const FeatureBinsJson = z.discriminatedUnion('kind', [
  // The last edge is +Infinity, written as null in JSON.
  z.object({ kind: z.literal('numeric'), edges: z.array(z.number().nullable()).min(1) }).strict(),
  z.object({ kind: z.literal('categorical'), categories: z.array(z.number()).max(255) }).strict(),
]);

export const GbdtArtifactMeta = z
  .object({
    format: z.literal(1),
    options: GbdtOptions,
    /** Input width: the caller's feature columns (one-hot groups count each of their columns). */
    cols: z.number().int().nonnegative(),
    baseScore: z.number(),
    trees: z.number().int().nonnegative(),
    /** The one-hot groups the trees were grown with (found on training rows when options say 'auto'). */
    oneHotGroups: z.array(
      z.object({ start: z.number().int().nonnegative(), end: z.number().int().positive() }).strict(),
    ),
    bins: z.array(FeatureBinsJson),
  })
  .strict();
export type GbdtArtifactMeta = z.infer<typeof GbdtArtifactMeta>;

/** The artifact's metadata, or InputError naming what is wrong with it. */
export function parseGbdtArtifactMeta(artifact: ScorerArtifact): GbdtArtifactMeta {
  if (artifact.kind !== GBDT_KIND) {
    throw new InputError(`expected a ${GBDT_KIND} artifact, got kind "${artifact.kind}"`);
  }
  const parsed = GbdtArtifactMeta.safeParse(artifact.meta);
  if (!parsed.success) {
    throw new InputError(
      `gradient boosting artifact: ${formatZodError(parsed.error, { prefix: ['meta'], maxIssues: 3 })}`,
    );
  }
  return parsed.data;
}
