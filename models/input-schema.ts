import { aggregateColumns } from '../features/event-aggregates.ts';
import type { FeatureSpec } from '../features/feature-spec.ts';

/**
 * What a model reads from a lead: the attribute columns its features encode (with the
 * encoder kind), the columns only its shipped rules read, and the event types it counts.
 * Callers check payloads against it; a worker compares it across model versions.
 */
export interface InputSchema {
  attributes: { name: string; kind: string }[];
  ruleColumns: string[];
  eventTypes: string[];
}

/** The input schema of a feature spec and the rules shipped beside it. */
export function inputSchemaOf(spec: FeatureSpec, rules?: { columns: string[]; eventTypes: string[] }): InputSchema {
  // Event aggregate columns are computed from events, never read from attributes.
  const aggregates = new Set(spec.events ? aggregateColumns(spec.events).map((a) => a.name) : []);
  const attributes = spec.encoders
    .filter((e) => !aggregates.has(e.source))
    .map((e) => ({ name: e.source, kind: e.kind }));
  const encoded = new Set(attributes.map((a) => a.name));
  const ruleColumns = [...new Set(rules?.columns ?? [])].filter((c) => !encoded.has(c)).sort();
  const eventTypes = [...new Set([...(spec.events?.types ?? []), ...(rules?.eventTypes ?? [])])].sort();
  return { attributes, ruleColumns, eventTypes };
}

/**
 * How two input schemas differ, in words (empty when they do not): columns added, removed
 * or of another kind, event types added or removed.
 */
export function inputSchemaChanges(before: InputSchema, after: InputSchema): string[] {
  const out: string[] = [];
  const kinds = (s: InputSchema) =>
    new Map([
      ...s.attributes.map((a) => [a.name, a.kind] as const),
      ...s.ruleColumns.map((c) => [c, 'read by rules only'] as const),
    ]);
  const a = kinds(before);
  const b = kinds(after);
  const removed = [...a.keys()].filter((k) => !b.has(k));
  const added = [...b.keys()].filter((k) => !a.has(k));
  const changed = [...a]
    .filter(([k, kind]) => b.has(k) && b.get(k) !== kind)
    .map(([k, kind]) => `${JSON.stringify(k)} (${kind} -> ${b.get(k)})`);
  if (removed.length) out.push(`columns no longer read: ${list(removed)}`);
  if (added.length) out.push(`new columns: ${list(added)}`);
  if (changed.length)
    out.push(
      `columns read otherwise: ${changed.slice(0, 8).join(', ')}${changed.length > 8 ? ` and ${changed.length - 8} more` : ''}`,
    );
  const ea = new Set(before.eventTypes);
  const eb = new Set(after.eventTypes);
  const goneTypes = [...ea].filter((t) => !eb.has(t));
  const newTypes = [...eb].filter((t) => !ea.has(t));
  if (goneTypes.length) out.push(`event types no longer read: ${list(goneTypes)}`);
  if (newTypes.length) out.push(`new event types: ${list(newTypes)}`);
  return out;
}

function list(names: string[], max = 8): string {
  const shown = names
    .slice(0, max)
    .map((n) => JSON.stringify(n))
    .join(', ');
  return names.length > max ? `${shown} and ${names.length - max} more` : shown;
}
