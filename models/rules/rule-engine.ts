import type { EngagementEvent, TimedEvent } from '../../features/events.ts';
import { cellAt, frameRow, type Frame, type LeadAttributes } from '../../features/frame.ts';
import type { Bounds, CompiledRules } from './compiled-rules.ts';
import { RuleEventTally } from './rule-event-tally.ts';

/** Where a breakdown entry comes from. */
export type FiredKind = 'fit' | 'engagement' | 'manual' | 'decay' | 'cap';

/** One line of a score's breakdown. The lines of a breakdown add up to its total. */
export interface FiredRule {
  /** Rule id; `decay`, `cap:fit`, `cap:engagement`, `cap:total` or `manual: <reason>` otherwise. */
  rule: string;
  points: number;
  kind: FiredKind;
}

/** Points given by hand for an offline action (a call, a meeting, a trade-show chat). */
export interface ManualPoints {
  points: number;
  reason: string;
  /** When the points were given (epoch ms); they count only for scoring times after it. Default always. */
  at?: number;
}

/** A lead's rule score with its breakdown. */
export interface RuleScore {
  fit: number;
  engagement: number;
  total: number;
  tier: string;
  fired: FiredRule[];
}

/**
 * Events per lead: a map by lead id, an array aligned with the frame's rows, or the rows'
 * events already counted per rule (a RuleEventTally, as the batch path folds them).
 */
export type EventsByLead =
  | ReadonlyMap<string, readonly EngagementEvent[]>
  | readonly (readonly EngagementEvent[] | undefined)[]
  | RuleEventTally;

export interface ScoreFrameOptions {
  /** Also return each lead's breakdown (slower: one list per lead). Default false. */
  breakdown?: boolean;
  /** Manual adjustments by lead id. Default none. */
  manual?: ReadonlyMap<string, readonly ManualPoints[]>;
}

/** Scores of a whole frame, one entry per row. */
export interface FrameScores {
  fit: Float64Array;
  engagement: Float64Array;
  total: Float64Array;
  /** Index into `tierNames` (0 = best tier). */
  tier: Uint8Array;
  /** Breakdowns, when asked for. */
  fired?: FiredRule[][];
}

const NO_EVENTS: readonly EngagementEvent[] = [];
const NO_MANUAL: readonly ManualPoints[] = [];

/**
 * Marketing's points system, compiled. Scores one lead (`score`) or a whole frame
 * (`scoreFrame`, column-wise, without per-lead allocation unless a breakdown is asked for).
 * Only events strictly before `asOf` count. Build it with `compileRules`.
 */
export class RuleEngine {
  /** Tier names, best first. */
  readonly tierNames: readonly string[];
  /** Name of the rules file. */
  readonly name: string;
  private readonly counts: Float64Array;
  private readonly weights: Float64Array;
  // Results of the last eventPart call (fields, not a returned object, to keep the batch loop allocation-free).
  private eventSum = 0;
  private eventDecay = 0;

  constructor(private readonly compiled: CompiledRules) {
    this.tierNames = compiled.tierNames;
    this.name = compiled.name;
    this.counts = new Float64Array(compiled.eventRules.length);
    this.weights = new Float64Array(compiled.eventRules.length);
  }

  /** Every rule id, in file order. */
  get ruleIds(): string[] {
    return [...this.compiled.ruleIds];
  }

  /** Columns the attribute rules read. */
  get columns(): string[] {
    return [...new Set(this.compiled.attributeRules.flatMap((r) => r.conditions.map((c) => c.column)))];
  }

  /** Event types the event rules count. */
  get eventTypes(): string[] {
    return [...this.compiled.rulesByEventType.keys()];
  }

  /** Event property names the event rules filter on (columns an events reader must keep). */
  get eventProperties(): string[] {
    return [...this.compiled.eventProperties];
  }

  /** Scores one lead as of `asOf` (epoch ms), with its breakdown. */
  score(
    lead: LeadAttributes,
    events: readonly TimedEvent[],
    asOf: number,
    manualPoints: readonly ManualPoints[] = NO_MANUAL,
  ): RuleScore {
    return this.scoreRow(lead, (fired) => this.eventPart(events, asOf, fired), asOf, manualPoints);
  }

  /** `score`, with the event part set by `eventPart` (from the lead's events or its tallied row). */
  private scoreRow(
    lead: LeadAttributes,
    eventPart: (fired: FiredRule[]) => void,
    asOf: number,
    manualPoints: readonly ManualPoints[],
  ): RuleScore {
    const fired: FiredRule[] = [];
    let fitRaw = 0;
    let engagementAttributes = 0;
    for (const rule of this.compiled.attributeRules) {
      if (!rule.conditions.every((c) => c.test(lead[c.column] ?? null, asOf))) continue;
      if (rule.engagement) engagementAttributes += rule.points;
      else fitRaw += rule.points;
      fired.push({ rule: rule.id, points: rule.points, kind: rule.engagement ? 'engagement' : 'fit' });
    }
    const out = { fit: 0, engagement: 0, total: 0, tier: 0 };
    // Breakdown order: attribute rules, the fit cap, event rules and decay, then the other caps.
    this.capFit(fitRaw, fired);
    eventPart(fired);
    this.finish(fitRaw, engagementAttributes, asOf, manualPoints, out, fired, false);
    return { fit: out.fit, engagement: out.engagement, total: out.total, tier: this.tierNames[out.tier]!, fired };
  }

  /**
   * `score` without the breakdown, for scoring many leads one by one: writes the lead's fit,
   * engagement, total and tier index (into `tierNames`) to `out`. Same sums, same order.
   */
  scoreInto(
    lead: LeadAttributes,
    events: readonly TimedEvent[],
    asOf: number,
    out: { fit: number; engagement: number; total: number; tier: number },
  ): void {
    let fitRaw = 0;
    let engagementAttributes = 0;
    for (const rule of this.compiled.attributeRules) {
      const conditions = rule.conditions;
      let all = true;
      for (let k = 0; k < conditions.length && all; k++)
        all = conditions[k]!.test(lead[conditions[k]!.column] ?? null, asOf);
      if (!all) continue;
      if (rule.engagement) engagementAttributes += rule.points;
      else fitRaw += rule.points;
    }
    this.eventPart(events, asOf, null);
    this.finish(fitRaw, engagementAttributes, asOf, NO_MANUAL, out, null);
  }

  /**
   * Scores every row of `frame`. `asOf` is one time for all rows or one per row (default:
   * no time, so only attribute rules without `daysAgo` and all-time event rules make sense).
   */
  scoreFrame(
    frame: Frame,
    eventsByLead?: EventsByLead,
    asOf: number | ArrayLike<number> = Infinity,
    options: ScoreFrameOptions = {},
  ): FrameScores {
    const n = frame.rowCount;
    const result: FrameScores = {
      fit: new Float64Array(n),
      engagement: new Float64Array(n),
      total: new Float64Array(n),
      tier: new Uint8Array(n),
    };
    const asOfAt = typeof asOf === 'number' ? () => asOf : (i: number) => asOf[i]!;
    const tally = eventsByLead instanceof RuleEventTally ? eventsByLead : null;
    if (tally && tally.rows !== n)
      throw new RangeError(`RuleEngine.scoreFrame: a tally of ${tally.rows} rows for a frame of ${n}`);
    const eventsAt = tally
      ? () => NO_EVENTS
      : eventsLookup(frame, eventsByLead as Exclude<EventsByLead, RuleEventTally> | undefined);
    // With a tally, the lead's event part comes from its counted row instead of its events.
    const eventPartAt = tally
      ? (i: number, fired: FiredRule[] | null) => this.tallyPart(tally, i, asOfAt(i), fired)
      : (i: number, fired: FiredRule[] | null) => this.eventPart(eventsAt(i), asOfAt(i), fired);
    const manualAt = (i: number) => options.manual?.get(frame.ids[i]!) ?? NO_MANUAL;
    if (options.breakdown) {
      result.fired = new Array<FiredRule[]>(n);
      for (let i = 0; i < n; i++) {
        const s = this.scoreRow(frameRow(frame, i), (fired) => eventPartAt(i, fired), asOfAt(i), manualAt(i));
        result.fit[i] = s.fit;
        result.engagement[i] = s.engagement;
        result.total[i] = s.total;
        result.tier[i] = this.tierNames.indexOf(s.tier);
        result.fired[i] = s.fired;
      }
      return result;
    }
    // Attribute rules column by column, in rule order (the same summation order as `score`).
    const fitRaw = new Float64Array(n);
    const engagementAttributes = new Float64Array(n);
    const columns = new Map(frame.columns.map((c) => [c.name, c] as const));
    // A column the frame lacks reads as missing on every row.
    const cells = (name: string) => {
      const column = columns.get(name);
      return column ? (i: number) => cellAt(column, i) : () => null;
    };
    for (const rule of this.compiled.attributeRules) {
      const target = rule.engagement ? engagementAttributes : fitRaw;
      const { conditions, points } = rule;
      if (conditions.length === 1) {
        const { test, column } = conditions[0]!;
        const cell = cells(column);
        for (let i = 0; i < n; i++) if (test(cell(i), asOfAt(i))) target[i]! += points;
        continue;
      }
      const tests = conditions.map((c) => ({ test: c.test, cell: cells(c.column) }));
      for (let i = 0; i < n; i++) {
        const at = asOfAt(i);
        let all = true;
        for (let k = 0; k < tests.length && all; k++) all = tests[k]!.test(tests[k]!.cell(i), at);
        if (all) target[i]! += points;
      }
    }
    const out = { fit: 0, engagement: 0, total: 0, tier: 0 };
    for (let i = 0; i < n; i++) {
      eventPartAt(i, null);
      this.finish(fitRaw[i]!, engagementAttributes[i]!, asOfAt(i), manualAt(i), out, null);
      result.fit[i] = out.fit;
      result.engagement[i] = out.engagement;
      result.total[i] = out.total;
      result.tier[i] = out.tier;
    }
    return result;
  }

  /** The fit sub-score, capped; appends the cap's breakdown line when `fired` is given. */
  private capFit(fitRaw: number, fired: FiredRule[] | null): number {
    const fit = clamp(fitRaw, this.compiled.fit);
    if (fired && fit !== fitRaw) fired.push({ rule: 'cap:fit', points: fit - fitRaw, kind: 'cap' });
    return fit;
  }

  /**
   * Decay (set by the last eventPart or tallyPart call), manual points, caps and tier;
   * appends breakdown lines when `fired` is given (the fit cap's too, unless `fitCapListed`
   * is false because the caller listed it before the event lines).
   */
  private finish(
    fitRaw: number,
    engagementAttributes: number,
    asOf: number,
    manual: readonly ManualPoints[],
    out: { fit: number; engagement: number; total: number; tier: number },
    fired: FiredRule[] | null,
    listFitCap = true,
  ): void {
    const c = this.compiled;
    const fit = this.capFit(fitRaw, listFitCap ? fired : null);
    const engagementRaw = engagementAttributes + this.eventSum + this.eventDecay;
    const engagement = clamp(engagementRaw, c.engagement);
    if (fired && engagement !== engagementRaw)
      fired.push({ rule: 'cap:engagement', points: engagement - engagementRaw, kind: 'cap' });
    let manualSum = 0;
    for (const m of manual) {
      if (m.at !== undefined && !(m.at < asOf)) continue;
      manualSum += m.points;
      if (fired) fired.push({ rule: `manual: ${m.reason}`, points: m.points, kind: 'manual' });
    }
    const totalRaw = fit + engagement + manualSum;
    const total = clamp(totalRaw, c.total);
    if (fired && total !== totalRaw) fired.push({ rule: 'cap:total', points: total - totalRaw, kind: 'cap' });
    const thresholds = c.tierThresholds;
    let tier = 0;
    while (tier < thresholds.length && !(total >= thresholds[tier]!)) tier++;
    out.fit = fit;
    out.engagement = engagement;
    out.total = total;
    out.tier = tier;
  }

  /**
   * The rate of the half-life decay of event weights for a lead scored at `asOf` (what
   * `countEvent` takes): 0 when the rules have no half-life decay or the time is not finite
   * (no age to decay by).
   */
  weightRate(asOf: number): number {
    const d = this.compiled.decay;
    return d.kind === 'half-life' && Number.isFinite(asOf) ? Math.LN2 / d.halfLifeMs : 0;
  }

  /** Rules of each event type: indices into the event rules, by type name. */
  get eventRulesByType(): ReadonlyMap<string, readonly number[]> {
    return this.compiled.rulesByEventType;
  }

  /** Number of event rules (the width of a lead's counts and weights). */
  get eventRuleCount(): number {
    return this.compiled.eventRules.length;
  }

  /** Whether the latest event's time counts (linear decay): then every event type matters, not only the rules' ones. */
  get usesLastEvent(): boolean {
    return this.compiled.decay.kind === 'linear';
  }

  /**
   * Counts one event of age `age` (ms before the lead's asOf; the caller keeps only events
   * strictly before asOf) for the event rules at `indices` (its type's),
   * into `counts` and `weights` at `offset` (the lead's first rule). The one step of the online
   * loop and of the batch fold (RuleEventTally), so both count the same.
   */
  countEvent(
    indices: readonly number[],
    age: number,
    properties: EngagementEvent['properties'],
    counts: Float64Array,
    weights: Float64Array,
    offset: number,
    rate: number,
  ): void {
    const rules = this.compiled.eventRules;
    for (let k = 0; k < indices.length; k++) {
      const r = indices[k]!;
      const rule = rules[r]!;
      if (age > rule.windowMs) continue;
      if (rule.filter !== null && !rule.filter(properties)) continue;
      counts[offset + r]!++;
      if (rate) weights[offset + r]! += Math.exp(-rate * age);
    }
  }

  /** Sets `eventSum` (capped event points) and `eventDecay` (≤ 0) for one lead's events. */
  private eventPart(events: readonly TimedEvent[], asOf: number, fired: FiredRule[] | null): void {
    const c = this.compiled;
    const { counts, weights } = this;
    this.eventSum = 0;
    this.eventDecay = 0;
    if (c.eventRules.length === 0 || events.length === 0) return;
    counts.fill(0);
    const rate = this.weightRate(asOf);
    if (rate) weights.fill(0);
    let lastAt = -Infinity;
    for (let e = 0; e < events.length; e++) {
      const event = events[e]!;
      const at = event.at;
      if (!(at < asOf)) continue;
      if (at > lastAt) lastAt = at;
      const indices = c.rulesByEventType.get(event.type);
      if (indices !== undefined) this.countEvent(indices, asOf - at, event.properties, counts, weights, 0, rate);
    }
    this.eventTotals(counts, weights, 0, lastAt, asOf, fired);
  }

  /** `eventPart` for row `row` of a tally: its events already counted. */
  private tallyPart(tally: RuleEventTally, row: number, asOf: number, fired: FiredRule[] | null): void {
    this.eventSum = 0;
    this.eventDecay = 0;
    if (this.compiled.eventRules.length === 0 || !(tally.lastAt[row]! > -Infinity)) return;
    this.eventTotals(tally.counts, tally.weights, row * tally.width, tally.lastAt[row]!, asOf, fired);
  }

  /**
   * Sets `eventSum` and `eventDecay` from a lead's counts and weights per event rule (at
   * `offset`) and the time of its latest event before asOf (-Infinity: none).
   */
  private eventTotals(
    counts: Float64Array,
    weights: Float64Array,
    offset: number,
    lastAt: number,
    asOf: number,
    fired: FiredRule[] | null,
  ): void {
    const c = this.compiled;
    const halfLife = this.weightRate(asOf) !== 0;
    let sum = 0;
    let positive = 0;
    let decayed = 0;
    for (let r = 0; r < c.eventRules.length; r++) {
      const count = counts[offset + r]!;
      if (count === 0) continue;
      const rule = c.eventRules[r]!;
      const raw = capAbs(count * rule.points, rule.cap);
      sum += raw;
      if (fired) fired.push({ rule: rule.id, points: raw, kind: 'engagement' });
      if (rule.points > 0) {
        positive += raw;
        if (halfLife) decayed += capAbs(weights[offset + r]! * rule.points, rule.cap);
      }
    }
    let decay = 0;
    if (halfLife) decay = decayed - positive;
    else if (c.decay.kind === 'linear' && Number.isFinite(asOf) && positive > 0 && lastAt > -Infinity) {
      const steps = Math.floor((asOf - lastAt) / c.decay.everyMs);
      decay = -Math.min(positive, steps * c.decay.pointsLost);
    }
    if (decay !== 0 && fired) fired.push({ rule: 'decay', points: decay, kind: 'decay' });
    this.eventSum = sum;
    this.eventDecay = decay === 0 ? 0 : decay;
  }
}

function clamp(x: number, b: Bounds): number {
  return x < b.min ? b.min : x > b.max ? b.max : x;
}

function capAbs(x: number, cap: number): number {
  return x > cap ? cap : x < -cap ? -cap : x;
}

function eventsLookup(frame: Frame, eventsByLead: EventsByLead | undefined): (i: number) => readonly EngagementEvent[] {
  if (!eventsByLead) return () => NO_EVENTS;
  if (Array.isArray(eventsByLead)) {
    const byRow = eventsByLead as readonly (readonly EngagementEvent[] | undefined)[];
    return (i) => byRow[i] ?? NO_EVENTS;
  }
  const byId = eventsByLead as ReadonlyMap<string, readonly EngagementEvent[]>;
  return (i) => byId.get(frame.ids[i]!) ?? NO_EVENTS;
}
