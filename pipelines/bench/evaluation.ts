/**
 * Evaluation speed: the model-vs-rules comparison (metrics, 1000-resample paired
 * bootstrap of the AUC difference, tiers, agreement) on generated leads the size of a
 * bank-marketing test file (8 238 rows) and of the whole data set (41 188 rows), plus the
 * splits and tier thresholds. Prints a table, then one JSON line last.
 * Run: npm run bench:evaluation [-- --resamples N]
 */
import { performance } from 'node:perf_hooks';
import {
  bootstrapAucDifference,
  chooseTierThresholds,
  compareModelToRules,
  seededRandom,
  stratifiedKFold,
  stratifiedSplit,
  TierPolicy,
} from '../../training/index.ts';

const resamplesArg = process.argv.indexOf('--resamples');
const resamples = resamplesArg > 0 ? Number(process.argv[resamplesArg + 1]) : 1000;
const sizes = [8_238, 41_188];

/** Leads with a latent propensity: the model sees it through noise, the rules as coarse points. */
function generate(n: number, seed: number) {
  const random = seededRandom(seed);
  const labels = new Uint8Array(n);
  const probabilities = new Float32Array(n);
  const ruleScores = new Float64Array(n);
  const ruleTiers: string[] = [];
  for (let i = 0; i < n; i++) {
    const latent = (random() + random() + random() - 1.5) * 3 - 2;
    labels[i] = random() < 1 / (1 + Math.exp(-latent)) ? 1 : 0;
    probabilities[i] = 1 / (1 + Math.exp(-(latent + (random() - 0.5))));
    ruleScores[i] = Math.round(latent + (random() - 0.5) * 4) * 10;
    ruleTiers.push(ruleScores[i]! >= 0 ? 'A' : ruleScores[i]! >= -20 ? 'B' : 'C');
  }
  return { labels, probabilities, ruleScores, ruleTiers };
}

function time<T>(run: () => T): { ms: number; value: T } {
  const start = performance.now();
  const value = run();
  return { ms: Math.round((performance.now() - start) * 10) / 10, value };
}

// Warm-up so JIT compilation does not count against the first size.
{
  const w = generate(2000, 1);
  bootstrapAucDifference(w.labels, w.probabilities, w.ruleScores, { resamples: 50 });
}

const results = sizes.map((rows) => {
  const d = generate(rows, 7);
  const split = time(() => stratifiedSplit(d.labels, { validation: 0.15, test: 0.2 }, 42));
  const folds = time(() => stratifiedKFold(d.labels, 5, 42));
  const tiers = time(() =>
    chooseTierThresholds(
      d.labels,
      d.probabilities,
      TierPolicy.parse({ policy: 'targetRate', targetRates: [0.5, 0.2] }),
    ),
  );
  const bootstrap = time(() => bootstrapAucDifference(d.labels, d.probabilities, d.ruleScores, { resamples }));
  const compare = time(() =>
    compareModelToRules(
      {
        source: 'bench',
        labels: d.labels,
        probabilities: d.probabilities,
        modelTiers: tiers.value,
        rules: { scores: d.ruleScores, tiers: d.ruleTiers, tierOrder: ['A', 'B', 'C'] },
      },
      { resamples },
    ),
  );
  return {
    rows,
    resamples,
    splitMs: split.ms,
    kFoldMs: folds.ms,
    tiersMs: tiers.ms,
    bootstrapMs: bootstrap.ms,
    compareMs: compare.ms,
    aucDifference: Math.round(compare.value.aucDifference!.estimate * 1e4) / 1e4,
  };
});

console.log('rows     split ms  5-fold ms  tiers ms  bootstrap ms  compare ms');
for (const r of results) {
  console.log(
    `${String(r.rows).padEnd(8)} ${String(r.splitMs).padStart(8)} ${String(r.kFoldMs).padStart(10)} ${String(r.tiersMs).padStart(9)} ${String(r.bootstrapMs).padStart(13)} ${String(r.compareMs).padStart(11)}`,
  );
}
console.log(JSON.stringify({ bench: 'evaluation', results }));
