import { columnCells, type Frame } from '../../features/frame.ts';
import {
  categoricalValues,
  type CategoricalReference,
  type DriftReference,
  type NumericReference,
} from './drift-reference.ts';
import { countNumericBins, numericBinLabels } from './numeric-bins.ts';
import {
  driftLevel,
  populationStability,
  psiThreshold,
  toProportions,
  type DriftLevel,
} from './population-stability.ts';

/** One bin's share of rows in the reference and in the new data. */
export interface BinShare {
  label: string;
  expected: number;
  actual: number;
}

/** Drift of one column (or of the score). */
export interface FeatureDrift {
  name: string;
  kind: 'numeric' | 'categorical';
  psi: number;
  level: DriftLevel;
  /** PSI above the threshold. */
  flagged: boolean;
  bins: BinShare[];
  /** Categorical: values the reference never saw, with how many new rows carry them (most first). */
  newCategories: { value: string; count: number }[];
  /** Categorical: reference values that no new row carries, with their reference share (largest first). */
  missingCategories: { value: string; expected: number }[];
}

/** The comparison of new leads with a drift reference. */
export interface DriftReport {
  threshold: number;
  referenceRows: number;
  rows: number;
  features: FeatureDrift[];
  /** The score's drift, when the reference and the caller both have scores. */
  score: FeatureDrift | null;
  /** Reference columns the new data lacks entirely. */
  absentColumns: string[];
  /** Columns of the new data the reference does not know (the model ignores them). */
  extraColumns: string[];
  /** Columns the reference left out, with why. */
  skipped: { name: string; reason: string }[];
  /** Names of flagged features, worst first, then "score" when the score is flagged. */
  flagged: string[];
}

export interface CompareDriftOptions {
  /** PSI above this is flagged. Default 0.2. */
  threshold?: number;
}

/**
 * Compares new leads (and optionally the model's scores on them, one per row) with the
 * reference distribution stored at train time: PSI per column and for the score, new and
 * vanished categories, columns absent on either side.
 */
export function compareDrift(
  reference: DriftReference,
  frame: Frame,
  scores?: ArrayLike<number>,
  options: CompareDriftOptions = {},
): DriftReport {
  return new DriftCounts(reference, scores !== undefined).add(frame, scores).report(options);
}

/**
 * The counts compareDrift takes from new leads, added a chunk of leads at a time (a streamed
 * command's memory does not grow with the input); `report` gives what compareDrift gives on
 * all the chunks at once.
 */
export class DriftCounts {
  private rows = 0;
  private columns: string[] | undefined;
  private readonly numeric = new Map<string, number[]>();
  private readonly categorical = new Map<string, { counts: number[]; unseen: Map<string, number> }>();
  private readonly scoreCounts: number[] | undefined;

  /** `withScores`: scores come with every chunk (the score's drift is reported). */
  constructor(
    private readonly reference: DriftReference,
    withScores: boolean,
  ) {
    this.scoreCounts =
      reference.score && withScores ? new Array<number>(reference.score.edges.length + 2).fill(0) : undefined;
  }

  /** Leads added so far. */
  get rowsAdded(): number {
    return this.rows;
  }

  /** Adds a chunk of leads, and the model's scores on them when the counts take scores. */
  add(frame: Frame, scores?: ArrayLike<number>): this {
    if (scores && scores.length !== frame.rowCount)
      throw new RangeError(`compareDrift: ${scores.length} scores for ${frame.rowCount} rows`);
    this.rows += frame.rowCount;
    this.columns ??= frame.columns.map((c) => c.name);
    const byName = new Map(frame.columns.map((c) => [c.name, c]));
    for (const ref of this.reference.features) {
      const column = byName.get(ref.name);
      if (!column) continue;
      if (ref.kind === 'numeric') {
        const numbers = column.values instanceof Float64Array ? column.values : columnCells(column).map(toNumber);
        const counts = countNumericBins(numbers, ref.edges);
        addInto(this.numeric, ref.name, counts);
      } else {
        const got = countCategories(ref, categoricalValues(column));
        const into = this.categorical.get(ref.name);
        if (!into) this.categorical.set(ref.name, got);
        else {
          got.counts.forEach((c, i) => (into.counts[i]! += c));
          for (const [v, c] of got.unseen) into.unseen.set(v, (into.unseen.get(v) ?? 0) + c);
        }
      }
    }
    if (this.scoreCounts && this.reference.score && scores) {
      const counts = countNumericBins(scores, this.reference.score.edges);
      counts.forEach((c, i) => (this.scoreCounts![i]! += c));
    }
    return this;
  }

  /** The drift report of every lead added. */
  report(options: CompareDriftOptions = {}): DriftReport {
    const { reference } = this;
    const threshold = options.threshold ?? psiThreshold;
    const present = new Set(this.columns ?? []);
    const known = new Set([...reference.features.map((f) => f.name), ...reference.skipped.map((s) => s.name)]);
    const features: FeatureDrift[] = [];
    const absentColumns: string[] = [];
    for (const ref of reference.features) {
      if (!present.has(ref.name)) {
        absentColumns.push(ref.name);
        continue;
      }
      if (ref.kind === 'numeric') {
        const counts = this.numeric.get(ref.name) ?? new Array<number>(ref.edges.length + 2).fill(0);
        features.push(numericDriftOfCounts(ref, counts, threshold));
      } else {
        const got = this.categorical.get(ref.name) ?? countCategories(ref, []);
        features.push(categoricalDriftOfCounts(ref, got.counts, got.unseen, threshold));
      }
    }
    const score =
      reference.score && this.scoreCounts ? numericDriftOfCounts(reference.score, this.scoreCounts, threshold) : null;
    const flagged = features
      .filter((f) => f.flagged)
      .sort((a, b) => b.psi - a.psi)
      .map((f) => f.name);
    if (score?.flagged) flagged.push('score');
    return {
      threshold,
      referenceRows: reference.rows,
      rows: this.rows,
      features,
      score,
      absentColumns,
      extraColumns: (this.columns ?? []).filter((n) => !known.has(n)),
      skipped: reference.skipped,
      flagged,
    };
  }
}

function addInto(map: Map<string, number[]>, name: string, counts: number[]): void {
  const into = map.get(name);
  if (!into) map.set(name, counts);
  else counts.forEach((c, i) => (into[i]! += c));
}

/** Numeric drift of `values` against a numeric reference (its edges, its shares). */
export function numericDrift(
  ref: NumericReference,
  values: ArrayLike<number | null>,
  threshold = psiThreshold,
): FeatureDrift {
  return numericDriftOfCounts(ref, countNumericBins(values, ref.edges), threshold);
}

function numericDriftOfCounts(ref: NumericReference, counts: number[], threshold: number): FeatureDrift {
  const labels = numericBinLabels(ref.edges);
  return finish(ref.name, 'numeric', ref.proportions, toProportions(counts), labels, threshold, [], []);
}

/** Categorical drift of `values` against a categorical reference. */
export function categoricalDrift(
  ref: CategoricalReference,
  values: readonly (string | null)[],
  threshold = psiThreshold,
): FeatureDrift {
  const { counts, unseen } = countCategories(ref, values);
  return categoricalDriftOfCounts(ref, counts, unseen, threshold);
}

/** Rows per reference category, then other values, then missing ones; and each value the reference never saw. */
function countCategories(
  ref: CategoricalReference,
  values: readonly (string | null)[],
): { counts: number[]; unseen: Map<string, number> } {
  const index = new Map(ref.categories.map((c, i) => [c, i]));
  const counts = new Array<number>(ref.categories.length + 2).fill(0);
  const unseen = new Map<string, number>();
  for (const v of values) {
    if (v === null) {
      counts[ref.categories.length + 1]!++;
      continue;
    }
    const i = index.get(v);
    if (i !== undefined) counts[i]!++;
    else {
      counts[ref.categories.length]!++;
      unseen.set(v, (unseen.get(v) ?? 0) + 1);
    }
  }
  return { counts, unseen };
}

function categoricalDriftOfCounts(
  ref: CategoricalReference,
  counts: number[],
  unseen: ReadonlyMap<string, number>,
  threshold: number,
): FeatureDrift {
  // With a truncated reference an unlisted value may be one of the folded rare ones, not new.
  const newCategories = ref.truncated
    ? []
    : [...unseen]
        .map(([value, count]) => ({ value, count }))
        .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1));
  const missingCategories = ref.categories
    .map((value, i) => ({ value, expected: ref.proportions[i]!, count: counts[i]! }))
    .filter((c) => c.count === 0)
    .map(({ value, expected }) => ({ value, expected }))
    .sort((a, b) => b.expected - a.expected);
  const labels = [...ref.categories, '(other)', '(missing)'];
  return finish(
    ref.name,
    'categorical',
    ref.proportions,
    toProportions(counts),
    labels,
    threshold,
    newCategories,
    missingCategories,
  );
}

function finish(
  name: string,
  kind: FeatureDrift['kind'],
  expected: number[],
  actual: number[],
  labels: string[],
  threshold: number,
  newCategories: FeatureDrift['newCategories'],
  missingCategories: FeatureDrift['missingCategories'],
): FeatureDrift {
  const psi = populationStability(expected, actual);
  // Bins empty on both sides say nothing; dropping them keeps reports short.
  const bins = labels
    .map((label, i) => ({ label, expected: expected[i]!, actual: actual[i]! }))
    .filter((b) => b.expected > 0 || b.actual > 0);
  return {
    name,
    kind,
    psi,
    level: driftLevel(psi, threshold),
    flagged: psi > threshold,
    bins,
    newCategories,
    missingCategories,
  };
}

function toNumber(v: unknown): number | null {
  if (v === null || v === undefined || v === '') return null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}
