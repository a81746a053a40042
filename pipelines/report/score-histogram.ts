/** One bar of a score distribution: the leads of one outcome whose score falls in [from, to). */
export interface HistogramBar {
  from: number;
  to: number;
  outcome: 'converted' | 'not converted';
  leads: number;
  /** Share of that outcome's leads in this bin, so both outcomes are comparable despite rare conversions. */
  share: number;
}

/**
 * Equal-width histogram of scores over [min, max], split by outcome; the last bin includes
 * max. When every score is equal there is one bin.
 */
export function scoreHistogram(
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  options: { bins: number; min?: number; max?: number },
): HistogramBar[] {
  if (labels.length !== scores.length)
    throw new RangeError(`labels (${labels.length}) and scores (${scores.length}) differ in length`);
  let min = options.min ?? Infinity;
  let max = options.max ?? -Infinity;
  if (options.min === undefined || options.max === undefined) {
    for (let i = 0; i < scores.length; i++) {
      if (options.min === undefined) min = Math.min(min, scores[i]!);
      if (options.max === undefined) max = Math.max(max, scores[i]!);
    }
  }
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  const bins = max > min ? options.bins : 1;
  const width = max > min ? (max - min) / bins : 1;
  const converted = new Array<number>(bins).fill(0);
  const notConverted = new Array<number>(bins).fill(0);
  for (let i = 0; i < scores.length; i++) {
    const b = Math.min(bins - 1, Math.max(0, Math.floor((scores[i]! - min) / width)));
    if (labels[i]) converted[b]!++;
    else notConverted[b]!++;
  }
  const totalConverted = converted.reduce((a, b) => a + b, 0);
  const totalNot = notConverted.reduce((a, b) => a + b, 0);
  const bars: HistogramBar[] = [];
  for (let b = 0; b < bins; b++) {
    const from = min + b * width;
    const to = b === bins - 1 ? Math.max(max, min + width) : min + (b + 1) * width;
    bars.push({
      from,
      to,
      outcome: 'converted',
      leads: converted[b]!,
      share: totalConverted ? converted[b]! / totalConverted : 0,
    });
    bars.push({
      from,
      to,
      outcome: 'not converted',
      leads: notConverted[b]!,
      share: totalNot ? notConverted[b]! / totalNot : 0,
    });
  }
  return bars;
}
