/**
 * Folds one-hot column groups back into one categorical code column each, so trees split a
 * categorical source by category subsets (one split, any subset) instead of peeling one
 * indicator at a time. Contributions are handed back to the row's hot column, so callers
 * still see the input's own column layout.
 */

import { InputError, ShapeMismatchError } from '../../features/errors.ts';
import { encoderOutputs, type FeatureSpec } from '../../features/feature-spec.ts';
import type { Matrix } from '../../features/matrix.ts';

/** Columns `[start, end)` that one-hot encode one categorical source. */
export interface OneHotGroup {
  start: number;
  end: number;
}

/** The one-hot groups of a fitted feature spec's vector: one per categorical encoder. */
export function oneHotGroupsOf(spec: FeatureSpec): OneHotGroup[] {
  const groups: OneHotGroup[] = [];
  let start = 0;
  for (const e of spec.encoders) {
    const width = encoderOutputs(e).length;
    if (e.kind === 'categorical') groups.push({ start, end: start + width });
    start += width;
  }
  return groups;
}

/** Whether every value of column `c` is 0 or 1. */
function isBinary(x: Matrix, c: number): boolean {
  for (let i = c; i < x.data.length; i += x.cols) {
    const v = x.data[i]!;
    if (v !== 0 && v !== 1) return false;
  }
  return true;
}

/**
 * Runs of adjacent 0/1 columns with exactly one 1 in every row: one-hot groups, whoever
 * encoded them. Folding such a run into one code column loses nothing (the code gives back
 * every column), so finding one by chance does no harm.
 */
export function detectOneHotGroups(x: Matrix): OneHotGroup[] {
  const binary = Array.from({ length: x.cols }, (_, c) => x.rows > 0 && isBinary(x, c));
  const sums = new Uint8Array(x.rows);
  const groups: OneHotGroup[] = [];
  for (let c = 0; c < x.cols;) {
    if (!binary[c]) {
      c++;
      continue;
    }
    sums.fill(0);
    let end = c;
    // Extend while no row would get a second 1.
    while (end < x.cols && binary[end]) {
      let clash = false;
      for (let r = 0, i = end; r < x.rows; r++, i += x.cols) if (x.data[i] === 1 && sums[r] === 1) clash = true;
      if (clash) break;
      for (let r = 0, i = end; r < x.rows; r++, i += x.cols) if (x.data[i] === 1) sums[r] = 1;
      end++;
    }
    if (end - c >= 2 && sums.every((v) => v === 1)) {
      groups.push({ start: c, end });
      c = end;
    } else {
      c++;
    }
  }
  return groups;
}

/** Maps matrices between the caller's columns (outer) and the model's (inner: one per group). */
export class OneHotCollapser {
  /** Inner column of each outer column. */
  private readonly innerOf: Int32Array;
  /** Per inner column: its group, or null for a plain column. */
  private readonly groupOf: (OneHotGroup | null)[] = [];
  /** Outer column of each plain inner column (-1 for groups). */
  private readonly outerOf: number[] = [];

  constructor(
    readonly outerCols: number,
    readonly groups: readonly OneHotGroup[],
  ) {
    const sorted = [...groups].sort((a, b) => a.start - b.start);
    sorted.forEach((g, i) => {
      const prev = sorted[i - 1];
      if (g.start < 0 || g.end > outerCols || g.end - g.start < 2 || (prev && g.start < prev.end)) {
        throw new InputError(
          `gradient boosting options: oneHotGroups[${i}] [${g.start}, ${g.end}) must hold two or more of the ${outerCols} columns and not overlap another group`,
        );
      }
    });
    this.innerOf = new Int32Array(outerCols);
    let g = 0;
    for (let c = 0; c < outerCols;) {
      const group = sorted[g];
      if (group && group.start === c) {
        this.innerOf.fill(this.groupOf.length, group.start, group.end);
        this.groupOf.push(group);
        this.outerOf.push(-1);
        c = group.end;
        g++;
      } else {
        this.innerOf[c] = this.groupOf.length;
        this.groupOf.push(null);
        this.outerOf.push(c);
        c++;
      }
    }
  }

  get innerCols(): number {
    return this.groupOf.length;
  }

  /** Inner column of outer column `c`. */
  inner(c: number): number {
    return this.innerOf[c]!;
  }

  /** Inner columns that hold group codes. */
  groupColumns(): number[] {
    return this.groupOf.flatMap((g, i) => (g ? [i] : []));
  }

  private checkWidth(x: Matrix): void {
    if (x.cols !== this.outerCols)
      throw new ShapeMismatchError(`expected ${this.outerCols} feature columns, got ${x.cols}`);
  }

  /** Position of the row's hot column within `group` (first value > 0.5), or -1 when none is. */
  private hot(x: Matrix, r: number, group: OneHotGroup): number {
    const o = r * x.cols;
    for (let c = group.start; c < group.end; c++) if (x.data[o + c]! > 0.5) return c - group.start;
    return -1;
  }

  /** `x` with each group replaced by its code (hot position; NaN when no column is hot). */
  collapse(x: Matrix): Matrix {
    this.checkWidth(x);
    if (this.groups.length === 0) return x;
    const cols = this.innerCols;
    const data = new Float32Array(x.rows * cols);
    for (let r = 0; r < x.rows; r++) {
      for (let i = 0; i < cols; i++) {
        const group = this.groupOf[i];
        if (!group) {
          data[r * cols + i] = x.data[r * x.cols + this.outerOf[i]!]!;
        } else {
          const k = this.hot(x, r, group);
          data[r * cols + i] = k < 0 ? NaN : k;
        }
      }
    }
    return { rows: x.rows, cols, data };
  }

  /** Writes row `r`'s inner contributions into `out` (outer layout): a group's goes to its hot column. */
  spread(inner: Float64Array, x: Matrix, r: number, out: Float32Array, offset: number): void {
    for (let i = 0; i < inner.length; i++) {
      const group = this.groupOf[i];
      if (!group) out[offset + this.outerOf[i]!] = inner[i]!;
      else out[offset + group.start + Math.max(this.hot(x, r, group), 0)] = inner[i]!;
    }
  }
}
