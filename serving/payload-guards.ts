import type { LeadPayload, ScoreBatchJobData, ScoreJobData } from './job-schemas.ts';
import type { BatchLeadResult, ScoreBatchResult } from './result-schemas.ts';

/**
 * Quick structural checks of score payloads, for the worker's hot path, and of batch
 * results, for the producer that reads thousands of them: a value they accept is one the
 * zod schemas of job-schemas.ts and result-schemas.ts accept unchanged (strict objects, so
 * the parsed value equals the input), and it is used as it is. Whatever they refuse goes
 * through the schema, which names the bad field (or accepts what these are too strict
 * for). They never decide an error message; they only spare valid values a full parse.
 * A test holds them to the schemas (test/serving/payload-guards.test.ts).
 */

const LEAD_KEYS = new Set(['leadId', 'attributes', 'events', 'asOf']);
const EVENT_KEYS = new Set(['leadId', 'type', 'at', 'eventId', 'properties']);
const SCORE_KEYS = new Set(['lead', 'store']);
const BATCH_KEYS = new Set(['leads', 'store']);
/** LeadPayload's events limit (job-schemas.ts). */
const MAX_EVENTS = 10_000;

/** `data` as a valid `score` payload, or undefined when it needs the full schema. */
export function quickScoreJobData(data: unknown): ScoreJobData | undefined {
  if (!isPlainObject(data) || !onlyKeys(data, SCORE_KEYS)) return undefined;
  if (!optionalBoolean(data['store']) || !isLeadPayload(data['lead'])) return undefined;
  return data as ScoreJobData;
}

/** `data` as a valid `score-batch` payload of at most `maxLeads` leads, or undefined when it needs the full schema. */
export function quickScoreBatchJobData(data: unknown, maxLeads: number): ScoreBatchJobData | undefined {
  if (!isPlainObject(data) || !onlyKeys(data, BATCH_KEYS) || !optionalBoolean(data['store'])) return undefined;
  const leads = data['leads'];
  if (!Array.isArray(leads) || leads.length < 1 || leads.length > maxLeads) return undefined;
  for (let i = 0; i < leads.length; i++) if (!isLeadPayload(leads[i])) return undefined;
  return data as ScoreBatchJobData;
}

function isLeadPayload(v: unknown): v is LeadPayload {
  if (!isPlainObject(v) || !onlyKeys(v, LEAD_KEYS)) return false;
  const id = v['leadId'];
  if (typeof id !== 'string' || id.length < 1 || id.length > 256) return false;
  if (!isAttributes(v['attributes'])) return false;
  const asOf = v['asOf'];
  if (asOf !== undefined && !isFiniteNumber(asOf)) return false;
  const events = v['events'];
  if (events === undefined) return true;
  if (!Array.isArray(events) || events.length > MAX_EVENTS) return false;
  for (let i = 0; i < events.length; i++) if (!isLeadEvent(events[i])) return false;
  return true;
}

/** LeadAttributes: a record of string, finite number, boolean or null. */
function isAttributes(v: unknown): boolean {
  if (!isPlainObject(v)) return false;
  for (const key in v) {
    if (!Object.hasOwn(v, key)) return false;
    const x = v[key];
    if (x === null || typeof x === 'string' || typeof x === 'boolean') continue;
    if (!isFiniteNumber(x)) return false;
  }
  return true;
}

/** LeadEvent: type, at, and optionally leadId, eventId and numeric properties. */
function isLeadEvent(v: unknown): boolean {
  if (!isPlainObject(v) || !onlyKeys(v, EVENT_KEYS)) return false;
  if (!nonEmptyString(v['type']) || !isFiniteNumber(v['at'])) return false;
  if (v['leadId'] !== undefined && !nonEmptyString(v['leadId'])) return false;
  if (v['eventId'] !== undefined && !nonEmptyString(v['eventId'])) return false;
  const properties = v['properties'];
  if (properties === undefined) return true;
  if (!isPlainObject(properties)) return false;
  for (const key in properties) {
    if (!Object.hasOwn(properties, key) || !isFiniteNumber(properties[key])) return false;
  }
  return true;
}

const BATCH_RESULT_KEYS = new Set(['modelVersion', 'scoredAt', 'results']);
const LEAD_RESULT_KEYS = new Set([
  'leadId',
  'probability',
  'score',
  'tier',
  'ruleScore',
  'ruleTier',
  'reasons',
  'asOf',
  'warnings',
  'modelVersion',
]);
const REASON_KEYS = new Set(['text', 'contribution']);

/** `value` as a valid `score-batch` result, or undefined when it needs the full schema. */
export function quickScoreBatchResult(value: unknown): ScoreBatchResult | undefined {
  if (!isPlainObject(value) || !onlyKeys(value, BATCH_RESULT_KEYS)) return undefined;
  if (typeof value['modelVersion'] !== 'string' || !isFiniteNumber(value['scoredAt'])) return undefined;
  const results = value['results'];
  if (!Array.isArray(results)) return undefined;
  for (let i = 0; i < results.length; i++) if (!isLeadResult(results[i])) return undefined;
  return value as ScoreBatchResult;
}

function isLeadResult(v: unknown): v is BatchLeadResult {
  if (!isPlainObject(v) || !onlyKeys(v, LEAD_RESULT_KEYS)) return false;
  if (typeof v['leadId'] !== 'string' || typeof v['tier'] !== 'string') return false;
  if (!isFiniteNumber(v['probability']) || !isFiniteNumber(v['score']) || !isFiniteNumber(v['asOf'])) return false;
  const ruleScore = v['ruleScore'];
  const ruleTier = v['ruleTier'];
  if ((ruleScore !== null && !isFiniteNumber(ruleScore)) || (ruleTier !== null && typeof ruleTier !== 'string'))
    return false;
  const version = v['modelVersion'];
  if (version !== undefined && typeof version !== 'string') return false;
  const reasons = v['reasons'];
  if (!Array.isArray(reasons)) return false;
  for (let i = 0; i < reasons.length; i++) {
    const r: unknown = reasons[i];
    if (!isPlainObject(r) || !onlyKeys(r, REASON_KEYS)) return false;
    if (typeof r['text'] !== 'string' || !isFiniteNumber(r['contribution'])) return false;
  }
  const warnings = v['warnings'];
  if (warnings === undefined) return true;
  if (!Array.isArray(warnings)) return false;
  for (let i = 0; i < warnings.length; i++) if (typeof warnings[i] !== 'string') return false;
  return true;
}

/** A JSON object: an object literal's prototype (or none), and no `__proto__` own key to trip over. */
function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return (proto === Object.prototype || proto === null) && !Object.hasOwn(v, '__proto__');
}

function onlyKeys(v: Record<string, unknown>, allowed: ReadonlySet<string>): boolean {
  for (const key in v) if (!allowed.has(key)) return false;
  return true;
}

function optionalBoolean(v: unknown): boolean {
  return v === undefined || typeof v === 'boolean';
}

function nonEmptyString(v: unknown): boolean {
  return typeof v === 'string' && v.length > 0;
}

function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}
