import type { RulesFile, Rule, AttributeCondition } from '../../models/rules/rules-file.ts';
import type { ScorecardBin, ScorecardFeature } from '../../training/scorecard.ts';
import { columnLabel, valueLabel, type Labels } from '../config/labels.ts';

/** One line of the points sheet as the CSV has it. */
export interface SheetLine {
  rule: string;
  column: string;
  /** The condition in words, with the config's labels. */
  condition: string;
  points: number;
}

/**
 * The rules file of a scorecard: each attribute's bins shifted so its weakest bin is worth
 * 0, scaled so the best lead scores `total` points, rounded to integers unless
 * `round` is false (to measure what rounding costs). Bins worth 0 are left out, and
 * neighbouring numeric bins (or category values) worth the same merge into one rule.
 */
export function pointsSheet(
  features: ScorecardFeature[],
  options: {
    name: string;
    total: number;
    round?: boolean;
    labels?: Labels;
    tierNames: string[];
    events?: ReadonlyMap<string, EventCount>;
  },
): { rules: RulesFile; lines: SheetLine[] } {
  const spread = features.reduce(
    (a, f) => a + (Math.max(...f.bins.map((b) => b.effect)) - Math.min(...f.bins.map((b) => b.effect))),
    0,
  );
  const scale = spread > 0 ? options.total / spread : 0;
  const round = options.round ?? true;
  const rules: Rule[] = [];
  const lines: SheetLine[] = [];
  const ids = new Set<string>();
  for (const f of features) {
    const event = options.events?.get(f.column);
    if (event) {
      const bands = eventBands(f, event, scale, round, ids, options.labels);
      rules.push(...bands.rules);
      lines.push(...bands.lines);
      continue;
    }
    const low = Math.min(...f.bins.map((b) => b.effect));
    const worth = f.bins.map((b) => ({
      bin: b.bin,
      points: round ? Math.round((b.effect - low) * scale) : (b.effect - low) * scale,
    }));
    for (const { bin, points } of merge(worth)) {
      if (points === 0) continue;
      const condition = conditionOf(f.column, bin);
      const id = uniqueId(
        `${slug(f.column)}-${slug(bin.kind === 'values' && bin.values.length > 2 ? `is ${String(bin.values[0])} and ${bin.values.length - 1} more` : binWords(f.column, bin))}`,
        ids,
      );
      const words = `${columnLabel(options.labels, f.column)} ${binWords(f.column, bin, options.labels)}`;
      rules.push({ id, description: words, ...condition, points, score: 'fit' } as Rule);
      lines.push({ rule: id, column: f.column, condition: words, points });
    }
  }
  const tiers = options.tierNames.map((name) => ({ name }));
  // Event bands are measured from a lead without events, so a total can fall below 0 or pass
  // the top: a cap would tie those leads, so a sheet with event rules has none.
  const events = features.some((f) => options.events?.has(f.column));
  return {
    rules: { name: options.name, rules, ...(events ? {} : { total: { min: 0, max: options.total } }), tiers },
    lines,
  };
}

/** An event count the model reads (which event types, within how many days), or the days since the latest such event. */
export interface EventCount {
  kind: 'count' | 'recency';
  types: string[];
  withinDays?: number;
  /** Words for the count, e.g. `pricing_view events in the last 30 days`. */
  label: string;
}

/**
 * A count's bands as event rules. A rule worth d per event, capped at |d| t, gives
 * min(count, t) d; less the same capped at t - 1 leaves d once the count reaches t. So
 * each step between bands is one or two rules, measured from a lead without events.
 */
function eventBands(
  f: ScorecardFeature,
  event: EventCount,
  scale: number,
  round: boolean,
  ids: Set<string>,
  labels?: Labels,
): { rules: Rule[]; lines: SheetLine[] } {
  if (event.kind === 'recency') return recencyBands(f, event, scale, round, ids);
  const ranges = f.bins.filter((b) => b.bin.kind === 'range');
  const rules: Rule[] = [];
  const lines: SheetLine[] = [];
  const zero =
    ranges.find((b) => b.bin.kind === 'range' && (b.bin.atLeast === undefined || b.bin.atLeast <= 0))?.effect ?? 0;
  let previous = 0;
  for (const b of ranges) {
    if (b.bin.kind !== 'range' || b.bin.atLeast === undefined || b.bin.atLeast <= 0) continue;
    const points = round ? Math.round((b.effect - zero) * scale) : (b.effect - zero) * scale;
    const step = points - previous;
    previous = points;
    if (step === 0) continue;
    const from = Math.ceil(b.bin.atLeast);
    const words = `${columnLabel(labels, f.column) === f.column ? event.label : columnLabel(labels, f.column)}: ${from} or more`;
    const id = uniqueId(`${slug(f.column)}-${from}-or-more`, ids);
    const base = {
      event: event.types.length === 1 ? event.types[0]! : event.types,
      ...(event.withinDays === undefined ? {} : { withinDays: event.withinDays }),
    };
    rules.push({ id, description: words, ...base, points: step, cap: Math.abs(step) * from } as Rule);
    if (from > 1)
      rules.push({
        id: uniqueId(`${id}-below`, ids),
        description: `${words} (pairs with the rule above so its points count from the ${ordinal(from)} event on)`,
        ...base,
        points: -step,
        cap: Math.abs(step) * (from - 1),
      } as Rule);
    lines.push({ rule: id, column: f.column, condition: words, points: step });
  }
  return { rules, lines };
}

/** Neighbouring range bins and same-worth value bins become one. */
function merge(worth: { bin: ScorecardBin; points: number }[]): { bin: ScorecardBin; points: number }[] {
  const out: { bin: ScorecardBin; points: number }[] = [];
  for (const w of worth) {
    const last = out[out.length - 1];
    if (last && last.points === w.points && last.bin.kind === 'range' && w.bin.kind === 'range') {
      last.bin = {
        kind: 'range',
        ...(last.bin.atLeast === undefined ? {} : { atLeast: last.bin.atLeast }),
        ...(w.bin.below === undefined ? {} : { below: w.bin.below }),
      };
      continue;
    }
    const same =
      w.bin.kind === 'values' ? out.find((o) => o.bin.kind === 'values' && o.points === w.points) : undefined;
    if (same && same.bin.kind === 'values' && w.bin.kind === 'values') {
      same.bin = { kind: 'values', values: [...same.bin.values, ...w.bin.values] };
      continue;
    }
    out.push({ ...w });
  }
  return out;
}

function conditionOf(column: string, bin: ScorecardBin): AttributeCondition {
  switch (bin.kind) {
    case 'missing':
      return { column, missing: true };
    case 'range':
      if (bin.atLeast === undefined && bin.below === undefined) return { column, present: true };
      if (bin.atLeast === -Number.MAX_VALUE) return { column, present: true };
      return {
        column,
        range: {
          ...(bin.atLeast === undefined ? {} : { atLeast: bin.atLeast }),
          ...(bin.below === undefined ? {} : { below: bin.below }),
        },
      };
    case 'values':
      return bin.values.length === 1 ? { column, equals: bin.values[0]! } : { column, oneOf: bin.values };
    case 'other':
      return bin.except.length ? { column, notOneOf: bin.except } : { column, present: true };
  }
}

/** `is missing`, `from 35 to under 55`, `is retired or student`, `is another value`. */
function binWords(column: string, bin: ScorecardBin, labels?: Labels): string {
  switch (bin.kind) {
    case 'missing':
      return 'is missing';
    case 'range':
      if (bin.atLeast === undefined || bin.atLeast === -Number.MAX_VALUE)
        return bin.below === undefined ? 'is given' : `under ${bin.below}`;
      return bin.below === undefined ? `${bin.atLeast} or more` : `from ${bin.atLeast} to under ${bin.below}`;
    case 'values':
      return `is ${bin.values.map((v) => (typeof v === 'boolean' ? (v ? 'yes' : 'no') : valueLabel(labels, column, v))).join(' or ')}`;
    case 'other':
      return 'is another value';
  }
}

function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9.]+/g, '-')
      .replace(/^[-.]+|-+$/g, '')
      .slice(0, 36) || 'x'
  );
}

function uniqueId(base: string, ids: Set<string>): string {
  let id = base.slice(0, 76);
  for (let k = 2; ids.has(id); k++) id = `${base.slice(0, 72)}-${k}`;
  ids.add(id);
  return id;
}

function ordinal(n: number): string {
  const teen = n % 100 >= 11 && n % 100 <= 13;
  const suffix = teen ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

/**
 * Days since the latest event in bands, as event rules that fire once (cap = points) when
 * such an event happened within a band's upper bound: a lead whose latest event falls in
 * band j gets the rules of bands j and later, so each rule is worth its band less the next;
 * a lead without such events gets none.
 */
function recencyBands(
  f: ScorecardFeature,
  event: EventCount,
  scale: number,
  round: boolean,
  ids: Set<string>,
): { rules: Rule[]; lines: SheetLine[] } {
  const ranges = f.bins.filter((b) => b.bin.kind === 'range');
  const none = f.bins.find((b) => b.bin.kind === 'missing')?.effect ?? 0;
  const worth = ranges.map((b) => (round ? Math.round((b.effect - none) * scale) : (b.effect - none) * scale));
  const rules: Rule[] = [];
  const lines: SheetLine[] = [];
  const type = event.types.length === 1 ? event.types[0]! : event.types;
  ranges.forEach((b, j) => {
    if (b.bin.kind !== 'range') return;
    const step = worth[j]! - (worth[j + 1] ?? 0);
    if (step === 0) return;
    const within = b.bin.below;
    const words =
      within === undefined
        ? `${event.types.join(' or ')} event at any time`
        : `${event.types.join(' or ')} event in the last ${within} days`;
    const id = uniqueId(`${slug(f.column)}-${within === undefined ? 'ever' : `within-${within}d`}`, ids);
    rules.push({
      id,
      description: words,
      event: type,
      ...(within === undefined ? {} : { withinDays: within }),
      points: step,
      cap: Math.abs(step),
    } as Rule);
    lines.push({ rule: id, column: f.column, condition: words, points: step });
  });
  return { rules, lines };
}
