/** A dense row-major float matrix: `data[r * cols + c]`. */
export interface Matrix {
  rows: number;
  cols: number;
  data: Float32Array;
}

/** A zero matrix of the given shape. */
export function zeros(rows: number, cols: number): Matrix {
  return { rows, cols, data: new Float32Array(rows * cols) };
}

/** The rows at `indices` of `m`, in that order. */
export function takeMatrixRows(m: Matrix, indices: ArrayLike<number>): Matrix {
  const out = zeros(indices.length, m.cols);
  for (let i = 0; i < indices.length; i++) {
    const r = indices[i]!;
    out.data.set(m.data.subarray(r * m.cols, (r + 1) * m.cols), i * m.cols);
  }
  return out;
}
