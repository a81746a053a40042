import YAML from 'yaml';
import type { FeatureInfo } from '../../features/feature-spec.ts';
import type { Matrix } from '../../features/matrix.ts';
import type { LeadModel } from '../../models/lead-model.ts';
import { parseRulesFile } from '../../models/rules/parse-rules-file.ts';
import { columnLabel, valueLabel, type Labels } from '../config/labels.ts';
import type { FeatureWeight, TierCutoffs } from './report-data.ts';

/**
 * What each feature is worth in points on the 0-100 score: for every lead, the score it
 * has less the score it would have without the feature's contribution to its log-odds
 * (through the model's calibration), so the chart speaks the unit marketing reads. The
 * size is the mean |change| over the leads; the sign that of the covariance between the
 * feature's value and the change (positive: higher values raise the score).
 */
export function featurePoints(
  x: Matrix,
  contributions: Matrix,
  logits: Float64Array,
  names: readonly string[],
  toScore: (p: Float32Array) => Float32Array,
): FeatureWeight[] {
  const { rows, cols } = x;
  const score = toScore(Float32Array.from(logits, sigmoid));
  const without = new Float32Array(rows);
  const out: FeatureWeight[] = [];
  for (let j = 0; j < cols; j++) {
    for (let r = 0; r < rows; r++) without[r] = sigmoid(logits[r]! - contributions.data[r * cols + j]!);
    const other = toScore(without);
    let sumX = 0;
    let sumD = 0;
    let sumAbs = 0;
    for (let r = 0; r < rows; r++) {
      const d = 100 * (score[r]! - other[r]!);
      sumX += x.data[r * cols + j]!;
      sumD += d;
      sumAbs += Math.abs(d);
    }
    const meanX = rows ? sumX / rows : 0;
    const meanD = rows ? sumD / rows : 0;
    let cov = 0;
    for (let r = 0; r < rows; r++) cov += (x.data[r * cols + j]! - meanX) * (100 * (score[r]! - other[r]!) - meanD);
    const sign = cov > 0 ? 1 : cov < 0 ? -1 : Math.sign(meanD);
    out.push({ feature: names[j]!, weight: rows ? (sign * sumAbs) / rows : 0 });
  }
  return out;
}

function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

/** A feature's name in words, with the config's labels: `Job = retired`, `Age is missing`. */
export function featureWords(info: FeatureInfo, labels: Labels | undefined): string {
  if (!labels?.[info.source]) return info.label;
  const column = columnLabel(labels, info.source);
  if (info.role === 'category')
    return `${column} = ${valueLabel(labels, info.source, info.name.slice(info.source.length + 1))}`;
  // The spec's words hold the column's label from training (its name unless labels were set then): swap a bare name for the config's.
  if (info.label.includes(column)) return info.label;
  const own = info.label.indexOf(info.source);
  return own >= 0 ? `${info.label.slice(0, own)}${column}${info.label.slice(own + info.source.length)}` : info.label;
}

const pct = (x: number) => `${Math.round(x * 1000) / 10} %`;

/** Each tier's cut-off in score units (model) and points (rules), and how each set of tiers was set. */
export function tierCutoffs(model: LeadModel): TierCutoffs | undefined {
  if (!model.rules) return undefined;
  const t = model.tiers;
  const modelCut = t.names.map((tier, k) => ({
    tier,
    from:
      k < t.thresholds.length && t.thresholds[k] !== null && t.thresholds[k] !== undefined
        ? Math.round(t.thresholds[k]! * 1000) / 10
        : null,
  }));
  const rules = parseRulesFile(YAML.parse(model.rules.text), model.rules.name);
  const policy = (
    model.manifest.config.training as
      { tiers?: { policy?: string; shares?: number[]; targetRates?: number[] } } | undefined
  )?.tiers;
  const names = t.names;
  let modelPolicy: string;
  if (t.policy === 'capacity') {
    const shares = policy?.shares ?? [];
    const parts = shares.map((s, k) => `${names[k]} ${k === 0 ? 'the best-scored' : 'the next'} ${pct(s)}`);
    modelPolicy = `The model's tiers are set by share of leads (${parts.join(', ') || 'shares from the config'}, of the validation leads at training), so a score's tier depends on how the other leads scored: the cut-offs are where those shares fell.`;
  } else {
    const rates = policy?.targetRates ?? [];
    const parts = rates.map((r, k) => `${names[k]} converts at ${pct(r)} or more`);
    modelPolicy = `The model's tiers are set by target conversion rate (${parts.join(', ') || 'rates from the config'}, as expected on the validation leads at training): the cut-offs are the scores where those rates were reached.`;
  }
  return {
    model: modelCut,
    rules: rules.tiers.map((r) => ({ tier: r.name, from: r.atLeast ?? null })),
    modelPolicy,
    rulesPolicy: 'The rules’ tiers are fixed point thresholds written in the rules file.',
  };
}
