import type { DuckDBConnection } from '@duckdb/node-api';
import { AppendTable } from './append-table.ts';
import * as m from './funnel-model.ts';
import { cumulative, Random } from './random.ts';

/** Options of the synthetic funnel. */
export interface FunnelOptions {
  /** Number of leads. */
  leads: number;
  /** Random seed; the same seed gives the same data. Default 1. */
  seed?: number;
  /** Mean events per lead. Default 20. */
  eventsPerLead?: number;
  /** First lead creation time, epoch ms. Default 2025-01-01T00:00Z. */
  start?: number;
  /** Leads are created over this many days. Default 365. */
  spanDays?: number;
  /** Events and deals after start + spanDays + this many days are not in the data. Default 90. */
  tailDays?: number;
}

const DAY = 86_400_000;

/** Raw tables the generator fills (codes and epoch ms; write-funnel.ts turns them into files). */
export const rawTables = { leads: 'synth_leads', events: 'synth_events', outcomes: 'synth_outcomes' } as const;

/** Counts of what was generated. */
export interface FunnelCounts {
  leads: number;
  events: number;
  won: number;
  lost: number;
}

/**
 * Generates the funnel described in funnel-model.ts into DuckDB tables: leads (integer
 * codes of each attribute), events and deals. Deterministic for a seed.
 */
export async function generateFunnel(conn: DuckDBConnection, options: FunnelOptions): Promise<FunnelCounts> {
  const rng = new Random(options.seed ?? 1);
  const perLead = options.eventsPerLead ?? 20;
  const start = options.start ?? Date.UTC(2025, 0, 1);
  const span = (options.spanDays ?? 365) * DAY;
  const end = start + span + (options.tailDays ?? 90) * DAY;
  const pickIndustry = cumulative(m.industries.map((l) => l.weight));
  const pickCountry = cumulative(m.countries.map((l) => l.weight));
  const pickTitle = cumulative(m.jobTitles.map((l) => l.weight));
  const pickSource = cumulative(m.sources.map((l) => l.weight));
  const I = 'INTEGER' as const;
  const D = 'DOUBLE' as const;
  const leads = await AppendTable.create(conn, rawTables.leads, {
    lead: I,
    industry: I,
    country: I,
    title: I,
    source: I,
    employees: D,
    free: I,
    first: I,
    last: I,
    word: I,
    suffix: I,
    created: D,
    intent: D,
    p: D,
  });
  const events = await AppendTable.create(conn, rawTables.events, { lead: I, type: I, ts: D, seconds: D });
  const outcomes = await AppendTable.create(conn, rawTables.outcomes, { lead: I, won: I, closed: D });
  const typeWeights = new Float64Array(m.eventTypes.length);
  const counts: FunnelCounts = { leads: options.leads, events: 0, won: 0, lost: 0 };

  for (let i = 0; i < options.leads; i++) {
    const spam = rng.uniform() < m.spamShare;
    const industry = rng.pick(pickIndustry);
    const country = rng.pick(pickCountry);
    const title = spam ? -1 : rng.pick(pickTitle);
    const source = spam ? 0 : rng.pick(pickSource);
    const employees = spam || rng.uniform() < 0.1 ? NaN : Math.max(1, Math.round(Math.exp(4 + 1.8 * rng.normal())));
    const student = title >= 0 && m.jobTitles[title]!.name === 'Student';
    const free = spam || rng.uniform() < (student ? 0.85 : 0.25) ? 1 + rng.int(m.freeMail.length) : 0;
    const created = start + Math.floor(rng.uniform() * span);
    const intent = rng.normal();
    let fit = m.industries[industry]!.effect + m.countries[country]!.effect + m.sources[source]!.effect;
    if (title >= 0) fit += m.jobTitles[title]!.effect;
    if (!Number.isNaN(employees)) fit += m.employeesEffect(employees);
    if (free > 0) fit += m.freeMailEffect;
    const p = spam ? 0 : m.sigmoid(m.baseLogOdds + fit + m.intentEffect * intent);

    const r = leads.next();
    const lc = leads.columns;
    lc[0]![r] = i;
    lc[1]![r] = industry;
    lc[2]![r] = country;
    lc[3]![r] = title;
    lc[4]![r] = source;
    lc[5]![r] = employees;
    lc[6]![r] = free;
    lc[7]![r] = rng.int(m.firstNames.length);
    lc[8]![r] = rng.int(m.lastNames.length);
    lc[9]![r] = rng.int(m.companyWords.length);
    lc[10]![r] = rng.int(m.companySuffixes.length);
    lc[11]![r] = created;
    lc[12]![r] = intent;
    lc[13]![r] = p;

    counts.events += spam
      ? spamEvents(rng, events, i, created, end)
      : leadEvents(rng, events, typeWeights, i, created, end, intent, fit, perLead);

    const u = rng.uniform();
    const won = u < p;
    const closed = won ? created + (14 + gamma2(rng, 25)) * DAY : created + (20 + rng.exponential(40)) * DAY;
    if ((won || u < p + m.lostDealShare) && closed < end) {
      const o = outcomes.next();
      outcomes.columns[0]![o] = i;
      outcomes.columns[1]![o] = won ? 1 : 0;
      outcomes.columns[2]![o] = Math.floor(closed);
      if (won) counts.won++;
      else counts.lost++;
    }
  }
  leads.close();
  events.close();
  outcomes.close();
  return counts;
}

/** Gamma(shape 2, scale): the sum of two exponentials. */
function gamma2(rng: Random, scale: number): number {
  return rng.exponential(scale) + rng.exponential(scale);
}

function leadEvents(
  rng: Random,
  events: AppendTable,
  weights: Float64Array,
  lead: number,
  created: number,
  end: number,
  intent: number,
  fit: number,
  perLead: number,
): number {
  const n = rng.poisson((perLead * Math.exp(0.6 * intent + 0.3 * fit)) / 1.3);
  const s = Math.exp(0.5 * intent);
  let sum = 0;
  m.eventTypes.forEach((t, k) => (weights[k] = sum += t.weight * s ** t.power));
  const meanGap = m.meanGapDays * Math.exp(-0.3 * intent) * DAY;
  let at = created;
  let written = 0;
  for (let k = 0; k < n; k++) {
    at += rng.exponential(meanGap);
    if (at >= end) break;
    const type = rng.pick(weights);
    const r = events.next();
    events.columns[0]![r] = lead;
    events.columns[1]![r] = type;
    events.columns[2]![r] = Math.floor(at);
    events.columns[3]![r] = m.eventTypes[type]!.seconds ? Math.round(rng.exponential(45 * s)) : NaN;
    written++;
  }
  return written;
}

/** A spam-like sign-up: a form submit and a couple of page views within minutes of creation. */
function spamEvents(rng: Random, events: AppendTable, lead: number, created: number, end: number): number {
  const types = [8, 0, 0];
  const n = 1 + rng.int(3);
  let written = 0;
  for (let k = 0; k < n; k++) {
    const at = created + Math.floor(rng.uniform() * 600_000);
    if (at >= end) continue;
    const r = events.next();
    events.columns[0]![r] = lead;
    events.columns[1]![r] = types[k]!;
    events.columns[2]![r] = at;
    events.columns[3]![r] = types[k] === 0 ? rng.int(5) : NaN;
    written++;
  }
  return written;
}
