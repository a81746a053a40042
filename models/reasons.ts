import type { FeatureSpec } from '../features/feature-spec.ts';
import { encoderOutputs } from '../features/feature-spec.ts';
import type { CellValue } from '../features/frame.ts';

/** One reason behind a score: words and the signed contribution to the logit. */
export interface Reason {
  text: string;
  contribution: number;
}

/**
 * A contribution as results give it: to 4 decimals of log-odds (finer steps say nothing
 * more). The worker's results and `score`'s reason text both start from this number, so a
 * lead's reasons read the same whichever scored it.
 */
export function roundContribution(c: number): number {
  return Math.round(c * 1e4) / 1e4;
}

/** For each source column of a spec: its label, kind and the range of its outputs in the vector. */
export interface ReasonLayout {
  sources: {
    source: string;
    label: string;
    kind: string;
    start: number;
    end: number;
    valueLabels?: Readonly<Record<string, string>>;
  }[];
}

/** Groups a spec's output columns by source column, so reasons speak of `Last Activity`, not of one-hot slots. */
export function reasonLayout(spec: FeatureSpec): ReasonLayout {
  let start = 0;
  const sources = spec.encoders.map((e) => {
    const width = encoderOutputs(e).length;
    const entry = {
      source: e.source,
      label: e.label,
      kind: e.kind,
      start,
      end: start + width,
      ...(e.kind === 'categorical' && e.valueLabels ? { valueLabels: e.valueLabels } : {}),
    };
    start += width;
    return entry;
  });
  return { sources };
}

/** How a raw value reads in a reason: `12`, `0.53`, `yes`, `2024-03-01`. */
export function formatValue(value: CellValue | undefined, kind: string): string {
  if (value === null || value === undefined || value === '') return 'missing';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number') {
    if (kind === 'timestamp') return new Date(value).toISOString().slice(0, 10);
    return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4)));
  }
  return value;
}

/**
 * The `k` largest contributions of one lead by absolute size, summed per source column and
 * worded with the lead's raw value (`TotalVisits = 12`, `Last Activity = SMS Sent`).
 * `contributions` holds the row's per-output logit contributions; `raw(source)` its raw
 * attribute or event-aggregate value. Zero contributions are never reasons.
 */
export function topReasons(
  contributions: ArrayLike<number>,
  layout: ReasonLayout,
  raw: (source: string) => CellValue | undefined,
  k = 3,
): Reason[] {
  return topReasonsAt(contributions, 0, layout, raw, k);
}

/** `topReasons` of the row whose contributions start at `contributions[offset]` (a matrix row, without a view of it). */
export function topReasonsAt(
  contributions: ArrayLike<number>,
  offset: number,
  layout: ReasonLayout,
  raw: (source: string) => CellValue | undefined,
  k = 3,
): Reason[] {
  const c = compiled(layout);
  const { starts, ends, sums } = c;
  const n = starts.length;
  let candidates = 0;
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let j = offset + starts[i]!, end = offset + ends[i]!; j < end; j++) sum += contributions[j] ?? 0;
    if (sum === 0 || !Number.isFinite(sum)) sums[i] = NaN;
    else {
      sums[i] = sum;
      candidates++;
    }
  }
  return reasonsFromSums(c, layout, raw, k, candidates);
}

/**
 * `topReasonsAt` of a linear model's row, whose contributions are `weights[j] * x[offset + j]`
 * rounded to float32 (as `explain` stores them): summed straight from the encoded row,
 * without a contributions matrix. Same reasons, to the bit, as from `explain`'s output.
 */
export function topLinearReasonsAt(
  x: Float32Array,
  offset: number,
  weights: Float32Array,
  layout: ReasonLayout,
  raw: (source: string) => CellValue | undefined,
  k = 3,
): Reason[] {
  const c = compiled(layout);
  const { starts, ends, sums } = c;
  const n = starts.length;
  const fround = Math.fround;
  let candidates = 0;
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let j = starts[i]!, end = ends[i]!; j < end; j++) sum += fround(weights[j]! * x[offset + j]!);
    if (sum === 0 || !Number.isFinite(sum)) sums[i] = NaN;
    else {
      sums[i] = sum;
      candidates++;
    }
  }
  return reasonsFromSums(c, layout, raw, k, candidates);
}

/** The top `k` reasons of the per-source sums in `c.sums` (NaN: not a reason), `candidates` of them not NaN. */
function reasonsFromSums(
  c: CompiledLayout,
  layout: ReasonLayout,
  raw: (source: string) => CellValue | undefined,
  k: number,
  candidates: number,
): Reason[] {
  const sums = c.sums;
  const n = sums.length;
  // Only sources that can make the top k are worded: those at least as large as the k-th
  // largest (ties included, as the text breaks them). The order is that of sorting them all.
  let least = 0;
  if (k > 0 && k < candidates) {
    // The k largest sizes so far, largest first (k is small: a few reasons).
    if (c.top.length < k) c.top = new Float64Array(k);
    const top = c.top;
    top.fill(-1, 0, k);
    for (let i = 0; i < n; i++) {
      const size = Math.abs(sums[i]!);
      if (!(size > top[k - 1]!)) continue;
      let at = k - 1;
      while (at > 0 && top[at - 1]! < size) {
        top[at] = top[at - 1]!;
        at--;
      }
      top[at] = size;
    }
    least = top[k - 1]!;
  }
  const out: Reason[] = [];
  for (let i = 0; i < n; i++) {
    const sum = sums[i]!;
    if (Number.isNaN(sum) || Math.abs(sum) < least) continue;
    const s = layout.sources[i]!;
    const value = raw(s.source);
    const known = c.texts[i]!;
    let text = known.get(value);
    if (text === undefined) {
      text = `${s.label} = ${(typeof value === 'string' ? s.valueLabels?.[value] : undefined) ?? formatValue(value, s.kind)}`;
      if (known.size < MAX_CACHED_TEXTS) known.set(value, text);
    }
    out.push({ text, contribution: sum });
  }
  // In place, by insertion: a few reasons (k, or a few more on ties), where the generic
  // sort's set-up costs more than the sorting. Same order as out.sort(byReasonOrder).
  for (let i = 1; i < out.length; i++) {
    const r = out[i]!;
    let j = i;
    for (; j > 0 && byReasonOrder(r, out[j - 1]!) < 0; j--) out[j] = out[j - 1]!;
    out[j] = r;
  }
  return out.length > k ? out.slice(0, k) : out;
}

/** Larger contributions first (by size), then by text. */
function byReasonOrder(a: Reason, b: Reason): number {
  return Math.abs(b.contribution) - Math.abs(a.contribution) || (a.text < b.text ? -1 : 1);
}

/**
 * A layout's source ranges as typed arrays, scratch space for one row, and reason texts by
 * source and raw value (the same few values recur across leads), built once per layout.
 */
interface CompiledLayout {
  starts: Int32Array;
  ends: Int32Array;
  sums: Float64Array;
  top: Float64Array;
  texts: Map<CellValue | undefined, string>[];
}

const compiledLayouts = new WeakMap<ReasonLayout, CompiledLayout>();
/** Texts kept per source; a source of ever-new values (a count, a date) stops adding at this many. */
const MAX_CACHED_TEXTS = 4096;

function compiled(layout: ReasonLayout): CompiledLayout {
  let c = compiledLayouts.get(layout);
  if (!c) {
    const n = layout.sources.length;
    c = {
      starts: Int32Array.from(layout.sources, (s) => s.start),
      ends: Int32Array.from(layout.sources, (s) => s.end),
      sums: new Float64Array(n),
      top: new Float64Array(3),
      texts: layout.sources.map(() => new Map()),
    };
    compiledLayouts.set(layout, c);
  }
  return c;
}

/**
 * A reason in words with its contribution to 2 decimals, rounded from the 4 decimals of a
 * result (roundContribution): the text is the same whether the lead was scored in a batch
 * or by a worker, in the output file and in a scores table.
 */
export function reasonText(r: { text: string; contribution: number }): string {
  const c = roundContribution(r.contribution);
  return `${r.text} (${c >= 0 ? '+' : ''}${c.toFixed(2)})`;
}
