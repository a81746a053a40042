/**
 * Pool-adjacent-violators: the non-decreasing step function of conversion rate over
 * score that best fits observed outcomes (isotonic regression). Tiers by target rate use
 * it to estimate each lead's expected conversion rate from validation rows, which stays
 * honest even when the probabilities are a little off.
 */

/**
 * Isotonic fit over groups ordered from the LOWEST score up: `positives[g]` conversions
 * among `rows[g]` leads. Returns the fitted rate of each group, non-decreasing.
 */
export function monotoneRates(positives: ArrayLike<number>, rows: ArrayLike<number>): Float64Array {
  const g = positives.length;
  // Stack of pooled blocks: summed positives and rows, and the first group of each.
  const sumP: number[] = [];
  const sumN: number[] = [];
  const first: number[] = [];
  for (let i = 0; i < g; i++) {
    sumP.push(positives[i]!);
    sumN.push(rows[i]!);
    first.push(i);
    // Merge while the newest block's rate is below the one before it.
    while (sumP.length > 1 && sumP.at(-1)! * sumN.at(-2)! < sumP.at(-2)! * sumN.at(-1)!) {
      const p = sumP.pop()!;
      const n = sumN.pop()!;
      first.pop();
      sumP[sumP.length - 1]! += p;
      sumN[sumN.length - 1]! += n;
    }
  }
  const out = new Float64Array(g);
  for (let b = 0; b < first.length; b++) {
    const end = b + 1 < first.length ? first[b + 1]! : g;
    const rate = sumN[b]! > 0 ? sumP[b]! / sumN[b]! : 0;
    out.fill(rate, first[b]!, end);
  }
  return out;
}
