import { categoryKey } from './category-key.ts';
import { typedCell } from './cell-values.ts';
import { InputError, ShapeMismatchError } from './errors.ts';
import { eventAggregates, DAY_MS, type AggregateValues } from './event-aggregates.ts';
import type { TimedEvent } from './events.ts';
import { encoderOutputs, type ColumnEncoder, type FeatureSpec } from './feature-spec.ts';
import { emailDomain } from './free-mail-domains.ts';
import { cellAt, type CellValue, type Frame, type FrameColumn, type LeadAttributes } from './frame.ts';
import type { Matrix } from './matrix.ts';

/**
 * One definition of every encoded value: `writeEncoded` turns one typed cell into the
 * encoder's outputs. `encodeFrame` (batch) and `encodeLead` (online) both go through it,
 * so the same lead gets the same vector either way.
 */

/** Batch encoding context. */
export interface EncodeContext {
  /**
   * The time features are taken at (epoch ms): one for all rows or one per frame row.
   * Default: the spec's referenceAsOf. Needed only by timestamp columns.
   */
  asOf?: number | ArrayLike<number>;
}

interface Prepared {
  encoder: ColumnEncoder;
  width: number;
  /** Categorical: categoryKey of a value -> output index within the encoder. */
  lookup?: Map<string, number>;
  /** Categorical: raw text -> output index, for the texts seen so far (bounded; see categoryIndex). */
  seen?: Map<string, number>;
  /** Email: free-mail domains. */
  freeMail?: Set<string>;
}

interface PreparedSpec {
  columns: Prepared[];
  width: number;
  missing: Set<string>;
  /** The online path's columns with their offsets, split by where their value comes from. */
  online: { fromAggregates: OnlineColumn[]; fromAttributes: OnlineColumn[]; timestampAggregates: OnlineColumn[] };
  /** Encoded rows of frozen aggregate values (see encodeLeadInto), by those values. */
  aggregateRows: WeakMap<AggregateValues, Float32Array>;
  /** The frozen aggregates encoded last and their row (the same object comes lead after lead). */
  lastFrozen?: AggregateValues;
  lastFrozenRow?: Float32Array;
}

interface OnlineColumn {
  c: Prepared;
  offset: number;
}

const prepared = new WeakMap<FeatureSpec, PreparedSpec>();

function prepare(spec: FeatureSpec): PreparedSpec {
  let p = prepared.get(spec);
  if (p) return p;
  const columns = spec.encoders.map((encoder): Prepared => {
    const width = encoderOutputs(encoder).length;
    if (encoder.kind === 'categorical') {
      const lookup = new Map<string, number>();
      // A vocabulary fitted before keys were folded may spell one key twice: the more frequent (first) wins.
      encoder.vocabulary.forEach(
        (v, i) =>
          lookup.has(categoryKey(v, encoder.caseSensitive)) || lookup.set(categoryKey(v, encoder.caseSensitive), i),
      );
      return { encoder, width, lookup, seen: new Map() };
    }
    if (encoder.kind === 'email') return { encoder, width, freeMail: new Set(encoder.freeMailDomains) };
    return { encoder, width };
  });
  // Aggregate columns are the keys eventAggregates always sets, whatever the events.
  const aggregateNames = new Set(spec.events ? Object.keys(eventAggregates([], 0, spec.events)) : []);
  const online: PreparedSpec['online'] = { fromAggregates: [], fromAttributes: [], timestampAggregates: [] };
  let offset = 0;
  for (const c of columns) {
    (aggregateNames.has(c.encoder.source) ? online.fromAggregates : online.fromAttributes).push({ c, offset });
    offset += c.width;
  }
  // Frozen aggregate rows leave out the time-dependent columns; those are written per lead.
  online.timestampAggregates = online.fromAggregates.filter(({ c }) => c.encoder.kind === 'timestamp');
  p = { columns, width: offset, missing: new Set(spec.missingValues), online, aggregateRows: new WeakMap() };
  prepared.set(spec, p);
  return p;
}

/** The length of the vectors `spec` produces. */
export function featureCount(spec: FeatureSpec): number {
  return prepare(spec).width;
}

/** Applies a numeric encoder's transform to a present value. */
export function numericTransform(
  e: { transform: 'none' | 'log' | 'quantile'; quantiles?: number[] },
  x: number,
): number {
  if (e.transform === 'log') return Math.log1p(Math.max(x, 0));
  if (e.transform === 'quantile') return quantilePosition(e.quantiles ?? [], x);
  return x;
}

/** Where x falls among ascending cut points, in [0, 1], linear between neighbours. */
export function quantilePosition(q: readonly number[], x: number): number {
  const n = q.length;
  if (n < 2 || x <= q[0]!) return 0;
  if (x >= q[n - 1]!) return 1;
  let lo = 0;
  let hi = n - 1;
  // Invariant: q[lo] <= x < q[hi].
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (q[mid]! <= x) lo = mid;
    else hi = mid;
  }
  return (lo + (x - q[lo]!) / (q[hi]! - q[lo]!)) / (n - 1);
}

/** UTC day of week (0 = Sunday) and hour of an epoch-ms time. */
export function dayAndHour(ms: number): { day: number; hour: number } {
  const days = Math.floor(ms / DAY_MS);
  return { day: (((days + 4) % 7) + 7) % 7, hour: Math.floor((ms - days * DAY_MS) / 3_600_000) };
}

/** Writes encoder `c`'s outputs for one typed cell at `out[offset...]` (the slots must be zero). */
function writeEncoded(c: Prepared, value: CellValue, asOf: number, out: Float32Array, offset: number): void {
  const e = c.encoder;
  switch (e.kind) {
    case 'numeric':
      writeNumber(e, typeof value === 'number' ? value : NaN, out, offset);
      return;
    case 'boolean': {
      if (value === true) out[offset] = 1;
      if (e.missingIndicator && (value === null || value === undefined)) out[offset + 1] = 1;
      return;
    }
    case 'categorical': {
      const vocab = e.vocabulary.length;
      if (value === null || value === undefined) out[offset + vocab + 1] = 1;
      else out[offset + categoryIndex(c, String(value), e.caseSensitive, vocab)] = 1;
      return;
    }
    case 'timestamp': {
      const missing = typeof value !== 'number' || Number.isNaN(value);
      const age = missing ? e.medianAgeDays : (asOf - value) / DAY_MS;
      out[offset] = (age - e.ageMean) / e.ageStd;
      let k = offset + 1;
      if (e.missingIndicator) {
        if (missing) out[k] = 1;
        k++;
      }
      if (missing) return;
      const { day, hour } = dayAndHour(value);
      out[k + day] = 1;
      out[k + 7] = (hour - e.hourMean) / e.hourStd;
      return;
    }
    case 'email': {
      const domain = typeof value === 'string' ? emailDomain(value) : undefined;
      out[offset + (domain === undefined ? 2 : c.freeMail!.has(domain) ? 0 : 1)] = 1;
      return;
    }
  }
}

/** Distinct raw texts remembered per categorical column; past this, each is keyed afresh. */
const SEEN_TEXTS_LIMIT = 10_000;

/**
 * The output index of a category text: its categoryKey looked up in the vocabulary, `other`
 * when unseen. Columns repeat a few texts, so each distinct text is keyed once.
 */
function categoryIndex(c: Prepared, text: string, caseSensitive: boolean | undefined, other: number): number {
  let i = c.seen!.get(text);
  if (i === undefined) {
    i = c.lookup!.get(categoryKey(text, caseSensitive)) ?? other;
    if (c.seen!.size < SEEN_TEXTS_LIMIT) c.seen!.set(text, i);
  }
  return i;
}

/** Cells a typed frame column gives to an encoder as-is; other kinds go through typedCell. */
const nativeKind: Record<ColumnEncoder['kind'], FrameColumn['type'][]> = {
  numeric: ['numeric'],
  boolean: ['boolean'],
  categorical: ['categorical', 'text'],
  timestamp: ['timestamp'],
  email: ['categorical', 'text'],
};

/**
 * Encodes every row of `frame` into a row-major Float32 matrix (`featureNames(spec)` order).
 * Columns are matched by name; event aggregate columns must already be joined onto the frame.
 */
export function encodeFrame(spec: FeatureSpec, frame: Frame, context: EncodeContext = {}): Matrix {
  const p = prepare(spec);
  const rows = frame.rowCount;
  const data = new Float32Array(rows * p.width);
  const byName = new Map(frame.columns.map((c) => [c.name, c]));
  const asOfAt = asOfReader(spec, context, rows);
  const columns = p.columns.map((c) => {
    const column = byName.get(c.encoder.source);
    if (!column && rows > 0)
      throw new InputError(
        `${frame.source}: column "${c.encoder.source}" is needed by the feature spec but is not in the data`,
      );
    return column;
  });
  // An empty file (no rows, no header) has no columns to match and nothing to encode.
  if (rows === 0) return { rows, cols: p.width, data };
  // Column by column within blocks of rows, so that the block's slice of the row-major
  // output stays in cache while every column writes into it.
  for (let start = 0; start < rows; start += ENCODE_BLOCK_ROWS) {
    const end = Math.min(rows, start + ENCODE_BLOCK_ROWS);
    let offset = 0;
    p.columns.forEach((c, k) => {
      const column = columns[k]!;
      const native = nativeKind[c.encoder.kind].includes(column.type);
      const timestamp = c.encoder.kind === 'timestamp';
      if (native && c.encoder.kind === 'numeric' && column.values instanceof Float64Array)
        writeNumbers(c.encoder, column.values, start, end, data, p.width, offset);
      else
        for (let r = start; r < end; r++) {
          const cell = cellAt(column, r);
          const v = native ? cell : typedCell(c.encoder, cell, p.missing);
          writeEncoded(c, v, timestamp ? asOfAt(r) : 0, data, r * p.width + offset);
        }
      offset += c.width;
    });
  }
  return { rows, cols: p.width, data };
}

/** A numeric encoder's slots for `value` (NaN: missing) at `out[offset...]` (zero beforehand). */
function writeNumber(
  e: Extract<ColumnEncoder, { kind: 'numeric' }>,
  value: number,
  out: Float32Array,
  offset: number,
): void {
  const missing = Number.isNaN(value);
  out[offset] = (numericTransform(e, missing ? e.median : value) - e.mean) / e.std;
  if (e.missingIndicator && missing) out[offset + 1] = 1;
}

/**
 * writeEncoded of a numeric encoder for rows start..end of a number column (NaN for missing),
 * into rows of `width` at `offset`, in a loop of its own over the column.
 */
function writeNumbers(
  e: Extract<ColumnEncoder, { kind: 'numeric' }>,
  values: Float64Array,
  start: number,
  end: number,
  out: Float32Array,
  width: number,
  offset: number,
): void {
  for (let r = start; r < end; r++) writeNumber(e, values[r]!, out, r * width + offset);
}

/** Rows encoded at a time by encodeFrame: 256 rows of a wide spec (150 features) take 150 KB. */
const ENCODE_BLOCK_ROWS = 256;

function asOfReader(spec: FeatureSpec, context: EncodeContext, rows: number): (r: number) => number {
  const a = context.asOf;
  if (typeof a === 'number') return () => a;
  if (a !== undefined) {
    if (a.length !== rows) throw new ShapeMismatchError(`encodeFrame: asOf has ${a.length} values for ${rows} rows`);
    return (r) => a[r]!;
  }
  const ref = spec.referenceAsOf;
  return () => {
    if (ref === null)
      throw new InputError('encodeFrame: timestamp features need an asOf and the spec has no referenceAsOf');
    return ref;
  };
}

/**
 * Encodes one lead (the serving path): its attributes, its events and the time to score it
 * at. Event aggregates come from `events` strictly before `asOf`; attributes named like an
 * aggregate column are ignored in favour of the computed value.
 */
export function encodeLead(
  spec: FeatureSpec,
  attributes: LeadAttributes,
  events: readonly TimedEvent[],
  asOf: number,
): Float32Array {
  const out = new Float32Array(prepare(spec).width);
  encodeLeadInto(spec, attributes, spec.events ? eventAggregates(events, asOf, spec.events) : undefined, asOf, out, 0);
  return out;
}

/**
 * `encodeLead` with the lead's event aggregates already computed (`eventAggregates(events,
 * asOf, spec.events)`, undefined when the spec has no events), written at `out[offset...]`
 * (the slots must be zero): many leads go into one matrix, and a caller that needs the
 * aggregates too (for reasons) computes them once. Frozen aggregate values (such as those
 * of a lead without events, which do not depend on the time) are encoded once and copied.
 */
export function encodeLeadInto(
  spec: FeatureSpec,
  attributes: LeadAttributes,
  aggregates: AggregateValues | undefined,
  asOf: number,
  out: Float32Array,
  offset: number,
): void {
  const p = prepare(spec);
  const { fromAggregates, fromAttributes, timestampAggregates } = p.online;
  if (aggregates === undefined) {
    // Without aggregates every column, aggregate-named or not, reads the attributes.
    for (const { c, offset: at } of fromAggregates) writeAttribute(p, c, attributes, asOf, out, offset + at);
  } else if (aggregates === p.lastFrozen || Object.isFrozen(aggregates)) {
    let row = aggregates === p.lastFrozen ? p.lastFrozenRow : p.aggregateRows.get(aggregates);
    if (!row) {
      row = new Float32Array(p.width);
      for (const { c, offset: at } of fromAggregates)
        if (c.encoder.kind !== 'timestamp')
          writeEncoded(c, typedCell(c.encoder, aggregates[c.encoder.source], p.missing), 0, row, at);
      p.aggregateRows.set(aggregates, row);
    }
    p.lastFrozen = aggregates;
    p.lastFrozenRow = row;
    // A loop: TypedArray#set costs more than the copy itself at a row's width.
    for (let j = 0, n = row.length; j < n; j++) out[offset + j] = row[j]!;
    for (const { c, offset: at } of timestampAggregates)
      writeEncoded(c, typedCell(c.encoder, aggregates[c.encoder.source], p.missing), asOf, out, offset + at);
  } else {
    for (const { c, offset: at } of fromAggregates)
      writeEncoded(c, typedCell(c.encoder, aggregates[c.encoder.source], p.missing), asOf, out, offset + at);
  }
  for (const { c, offset: at } of fromAttributes) writeAttribute(p, c, attributes, asOf, out, offset + at);
}

function writeAttribute(
  p: PreparedSpec,
  c: Prepared,
  attributes: LeadAttributes,
  asOf: number,
  out: Float32Array,
  offset: number,
): void {
  const source = c.encoder.source;
  writeEncoded(
    c,
    typedCell(c.encoder, Object.hasOwn(attributes, source) ? attributes[source] : null, p.missing),
    asOf,
    out,
    offset,
  );
}
