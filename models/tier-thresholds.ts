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
    names: z
      .array(
        z
          .string()
          .min(1)
          .max(64)
          .refine(
            (n) => n.trim() === n && !hasControlCharacter(n),
            'a tier name has no surrounding spaces or control characters',
          ),
      )
      .min(2)
      .refine((names) => new Set(names).size === names.length, 'tier names must differ'),
    /** Probabilities in [0, 1], best tier's first: each at most the one before it. */
    thresholds: z.array(z.number().min(0).max(1).nullable()),
  })
  .strict()
  .refine((t) => t.thresholds.length === t.names.length - 1, {
    message: 'thresholds needs one entry per tier but the last',
    path: ['thresholds'],
  })
  .refine(
    (t) => {
      const set = t.thresholds.filter((x): x is number => x !== null);
      return set.every((x, i) => i === 0 || x <= set[i - 1]!);
    },
    {
      message: 'thresholds must not increase: a better tier needs at least the probability of the next',
      path: ['thresholds'],
    },
  );
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

/** True when `s` holds a C0 control character or DEL. */
function hasControlCharacter(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}
