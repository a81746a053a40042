/**
 * Model tier thresholds as stored in an artifact, and tier assignment. Shared by the
 * evaluation (training/) and the serving worker, so both tier a lead the same way.
 */

import { z } from 'zod';

type Scores = ArrayLike<number>;

/**
 * Tier names (best first) and the lowest probability of each tier but the last. A lead
 * belongs to the first tier whose threshold it reaches; the last tier takes the rest. A
 * null threshold marks a tier no validation lead qualified for: nobody reaches it.
 */
export const TierThresholds = z
  .object({
    policy: z.enum(['targetRate', 'capacity']),
    names: z.array(z.string().min(1)).min(2),
    thresholds: z.array(z.number().finite().nullable()),
  })
  .strict()
  .refine((t) => t.thresholds.length === t.names.length - 1, { message: 'thresholds needs one entry per tier but the last', path: ['thresholds'] });
export type TierThresholds = z.infer<typeof TierThresholds>;

/** The tier index of one probability under `tiers`. */
export function tierIndexOf(probability: number, tiers: TierThresholds): number {
  const t = tiers.thresholds;
  for (let i = 0; i < t.length; i++) {
    const threshold = t[i];
    if (threshold !== null && threshold !== undefined && probability >= threshold) return i;
  }
  return t.length;
}

/** The tier name of each probability. */
export function assignTiers(probabilities: Scores, tiers: TierThresholds): string[] {
  const out = new Array<string>(probabilities.length);
  for (let i = 0; i < probabilities.length; i++) out[i] = tiers.names[tierIndexOf(probabilities[i]!, tiers)]!;
  return out;
}
