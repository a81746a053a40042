import { z } from 'zod';
import type { TimedEvent } from './events.ts';
import type { ColumnSpec } from './feature-config.ts';
import { InputError } from './errors.ts';

/**
 * Engagement aggregates of one lead as of a cutoff time `asOf` (epoch ms). This file is the
 * definition; the batch path (pipelines/features/batch-event-aggregates.ts: DuckDB keeps the
 * events before each cutoff, a columnar fold applies the same arithmetic) computes the same
 * values, and a parity test holds the two together. Only events strictly before `asOf` count.
 *
 * With `age = (asOf - at) / DAY_MS` (days, always > 0):
 * - `events.count`, `events.count.{w}d`: all events, and those with `at >= asOf - w * DAY_MS`;
 * - `events.{type}.count`, `events.{type}.count.{w}d`: the same per configured type;
 * - `events.active_days`: distinct UTC calendar days (`floor(at / DAY_MS)`) with an event;
 * - `events.days_since_last`, `events.{type}.days_since_last`: `(asOf - max(at)) / DAY_MS`, null without events;
 * - `events.days_since_first`: `(asOf - min(at)) / DAY_MS`, null without events;
 * - `events.{type}.decayed`: sum of `2 ** (-age / halfLifeDays)` (each event is worth 1 when new, 1/2 after a half-life);
 * - `events.{type}.{property}.sum`: sum of a numeric property (absent counts as 0);
 * - `events.last_type` (categorical): the type of the latest event; ties go to the greatest type name.
 * Events of types not configured count in the totals, active days, recency and last type.
 */

/** Milliseconds in a day. */
export const DAY_MS = 86_400_000;

/** What to aggregate: the event part of EventsConfig without the file details. */
export const EventAggregateOptions = z
  .object({
    /** Event types aggregated one by one. */
    types: z.array(z.string().min(1)).min(1),
    /** Count windows in days. */
    windowsDays: z.array(z.number().positive()),
    /** Half-life in days of the decayed engagement. */
    halfLifeDays: z.number().positive(),
    /** Numeric event properties summed per type. */
    numericProperties: z.array(z.string().min(1)),
  })
  .strict();
export type EventAggregateOptions = z.infer<typeof EventAggregateOptions>;

/** One aggregate column: its name, kind, words for reasons, and how the spec encodes it by default. */
export interface AggregateColumn {
  name: string;
  type: 'numeric' | 'categorical';
  label: string;
  /** The default encoding: counts, sums and decayed scores are skewed, so log. */
  spec: ColumnSpec;
  /** What computes it, for the SQL generator. */
  measure: AggregateMeasure;
}

/** The quantity behind an aggregate column; `type` absent means all events. */
export type AggregateMeasure =
  | { kind: 'count'; type?: string; windowDays?: number }
  | { kind: 'active_days' }
  | { kind: 'days_since_last'; type?: string }
  | { kind: 'days_since_first' }
  | { kind: 'decayed'; type: string }
  | { kind: 'sum'; type: string; property: string }
  | { kind: 'last_type' };

/** Aggregate values by column name: numbers, null for "no such event", a type name for the last type. */
export type AggregateValues = Record<string, number | string | null>;

const windowName = (w: number) => `${w}d`;
const logNumeric: ColumnSpec = { type: 'numeric', transform: 'log' };
const plainNumeric: ColumnSpec = { type: 'numeric' };

/** The aggregate columns `options` produce, in a fixed order (the order of features). */
export function aggregateColumns(options: EventAggregateOptions): AggregateColumn[] {
  assertDistinct(options);
  const out: AggregateColumn[] = [];
  const add = (name: string, label: string, measure: AggregateMeasure, spec = logNumeric) =>
    out.push({ name, type: measure.kind === 'last_type' ? 'categorical' : 'numeric', label, spec, measure });
  add('events.count', 'Events (all time)', { kind: 'count' });
  for (const w of options.windowsDays)
    add(`events.count.${windowName(w)}`, `Events in the last ${w} days`, { kind: 'count', windowDays: w });
  add('events.active_days', 'Days with events', { kind: 'active_days' });
  add('events.days_since_last', 'Days since the last event', { kind: 'days_since_last' }, plainNumeric);
  add('events.days_since_first', 'Days since the first touch', { kind: 'days_since_first' }, plainNumeric);
  for (const type of options.types) {
    add(`events.${type}.count`, `${type} events (all time)`, { kind: 'count', type });
    for (const w of options.windowsDays) {
      add(`events.${type}.count.${windowName(w)}`, `${type} events in the last ${w} days`, {
        kind: 'count',
        type,
        windowDays: w,
      });
    }
    add(
      `events.${type}.days_since_last`,
      `Days since the last ${type} event`,
      { kind: 'days_since_last', type },
      plainNumeric,
    );
    add(`events.${type}.decayed`, `${type} engagement (half-life ${options.halfLifeDays} days)`, {
      kind: 'decayed',
      type,
    });
    for (const property of options.numericProperties) {
      add(`events.${type}.${property}.sum`, `Total ${property} of ${type} events`, { kind: 'sum', type, property });
    }
  }
  out.push({
    name: 'events.last_type',
    type: 'categorical',
    label: 'Last event',
    spec: { type: 'categorical', minFrequency: 1 },
    measure: { kind: 'last_type' },
  });
  return out;
}

function assertDistinct(options: EventAggregateOptions): void {
  for (const [what, list] of [
    ['types', options.types],
    ['windowsDays', options.windowsDays],
    ['numericProperties', options.numericProperties],
  ] as const) {
    const seen = new Set<string | number>();
    for (const v of list) {
      if (seen.has(v)) throw new InputError(`events.${what}: "${v}" is listed twice`);
      seen.add(v);
    }
  }
}

/**
 * The aggregates of one lead's `events` as of `asOf` (the online engine). Events at or after
 * `asOf` are ignored; the list needs no order. Cost is one pass over the events.
 */
export function eventAggregates(
  events: readonly TimedEvent[],
  asOf: number,
  options: EventAggregateOptions,
): AggregateValues {
  return eventAggregatesInto(events, asOf, options, {});
}

/**
 * `eventAggregates` written into `out` (every aggregate key is set, nothing else is touched),
 * for a caller that scores many leads one after the other: one object reused for all of them
 * spares the allocation of a large object per lead and the garbage it becomes.
 */
export function eventAggregatesInto(
  events: readonly TimedEvent[],
  asOf: number,
  options: EventAggregateOptions,
  out: AggregateValues,
): AggregateValues {
  const plan = planFor(options);
  const { types, windows, props, typeIndex, scratch } = plan;
  const nw = windows.length;
  // Scratch arrays of the plan, cleared here: this function never awaits, so one set serves every call.
  const { starts, counts, typeCounts, typeLast, decayed, sums, days } = scratch;
  for (let k = 0; k < nw; k++) starts[k] = asOf - windows[k]! * DAY_MS;
  counts.fill(0);
  typeCounts.fill(0);
  typeLast.fill(-Infinity);
  decayed.fill(0);
  sums.fill(0);
  days.clear();
  const rate = decayRate(plan.halfLifeDays);
  let first = Infinity;
  let last = -Infinity;
  let lastType: string | null = null;

  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    const at = e.at;
    if (!(at < asOf)) continue;
    counts[0]!++;
    for (let k = 0; k < nw; k++) if (at >= starts[k]!) counts[k + 1]!++;
    days.add(Math.floor(at / DAY_MS));
    if (at < first) first = at;
    if (at > last || (at === last && lastType !== null && e.type > lastType)) {
      last = at;
      lastType = e.type;
    }
    const t = typeIndex.get(e.type);
    if (t === undefined) continue;
    const base = t * (nw + 1);
    typeCounts[base]!++;
    for (let k = 0; k < nw; k++) if (at >= starts[k]!) typeCounts[base + k + 1]!++;
    if (at > typeLast[t]!) typeLast[t] = at;
    decayed[t]! += Math.exp(((asOf - at) / DAY_MS) * rate);
    for (let p = 0; p < props.length; p++) sums[t * props.length + p]! += e.properties?.[props[p]!] ?? 0;
  }

  out['events.count'] = counts[0]!;
  for (let k = 0; k < nw; k++) out[plan.windowNames[k]!] = counts[k + 1]!;
  out['events.active_days'] = days.size;
  out['events.days_since_last'] = daysSince(asOf, last);
  out['events.days_since_first'] = daysSince(asOf, first);
  for (let t = 0; t < types.length; t++) {
    const names = plan.typeNames[t]!;
    const base = t * (nw + 1);
    out[names.count] = typeCounts[base]!;
    for (let k = 0; k < nw; k++) out[names.windows[k]!] = typeCounts[base + k + 1]!;
    out[names.since] = daysSince(asOf, typeLast[t]!);
    out[names.decayed] = decayed[t]!;
    for (let j = 0; j < props.length; j++) out[names.sums[j]!] = sums[t * props.length + j]!;
  }
  out['events.last_type'] = lastType;
  return out;
}

/**
 * The exponent per day of age of an event's decayed weight: `Math.exp(ageDays * rate)` is
 * `2 ** (-ageDays / halfLifeDays)`, computed as both engines compute it (an exp costs about a
 * third of a pow).
 */
export function decayRate(halfLifeDays: number): number {
  return -Math.LN2 / halfLifeDays;
}

/** Days from `at` to `asOf`; null when there was no such event (`at` infinite). */
function daysSince(asOf: number, at: number): number | null {
  return Number.isFinite(at) ? (asOf - at) / DAY_MS : null;
}

interface Plan {
  types: string[];
  windows: number[];
  props: string[];
  halfLifeDays: number;
  typeIndex: Map<string, number>;
  windowNames: string[];
  typeNames: { count: string; windows: string[]; since: string; decayed: string; sums: string[] }[];
  /** Per-call working space of eventAggregatesInto. */
  scratch: {
    starts: Float64Array;
    counts: Float64Array;
    typeCounts: Float64Array;
    typeLast: Float64Array;
    decayed: Float64Array;
    sums: Float64Array;
    days: Set<number>;
  };
}

const plans = new WeakMap<EventAggregateOptions, Plan>();

/** Column names and lookups of `options`, built once per options object (the online path runs per lead). */
function planFor(options: EventAggregateOptions): Plan {
  let plan = plans.get(options);
  if (plan) return plan;
  const nw = options.windowsDays.length;
  const nt = options.types.length;
  plan = {
    types: [...options.types],
    windows: [...options.windowsDays],
    props: [...options.numericProperties],
    halfLifeDays: options.halfLifeDays,
    typeIndex: new Map(options.types.map((t, i) => [t, i])),
    windowNames: options.windowsDays.map((w) => `events.count.${windowName(w)}`),
    typeNames: options.types.map((t) => ({
      count: `events.${t}.count`,
      windows: options.windowsDays.map((w) => `events.${t}.count.${windowName(w)}`),
      since: `events.${t}.days_since_last`,
      decayed: `events.${t}.decayed`,
      sums: options.numericProperties.map((p) => `events.${t}.${p}.sum`),
    })),
    scratch: {
      starts: new Float64Array(nw),
      counts: new Float64Array(nw + 1),
      typeCounts: new Float64Array(nt * (nw + 1)),
      typeLast: new Float64Array(nt),
      decayed: new Float64Array(nt),
      sums: new Float64Array(nt * options.numericProperties.length),
      days: new Set<number>(),
    },
  };
  plans.set(options, plan);
  return plan;
}
