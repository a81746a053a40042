import type { z } from 'zod';
import { InputError } from '../../features/errors.ts';
import { valueAt, zodIssueLines } from '../../features/zod-error.ts';
import { RulesFile } from './rules-file.ts';

type Issue = z.core.$ZodIssue;

/**
 * Validates a parsed rules file (the YAML or JSON value). Errors throw an InputError whose
 * message names `source`, the rule (by id and position) and the field, e.g.
 * `rules.yaml: rule "pricing-page" (rules[3]): cap: Too small: expected number to be >0`.
 */
export function parseRulesFile(value: unknown, source: string): RulesFile {
  const result = RulesFile.safeParse(value);
  if (result.success) return result.data;
  const messages = [...new Set(zodIssueLines(result.error, { value, where, pickBranch }))];
  throw new InputError(`${source}: invalid rules file: ${messages.join('; ')}`, { issues: messages });
}

function pickBranch(raw: unknown, branches: Issue[][]): Issue[] | undefined {
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
    const keys = Object.keys(raw);
    if (branches.length === 3 && (keys.includes('event') || keys.includes('column') || keys.includes('all'))) {
      // Rule union: [attribute rule, event rule, all rule].
      return keys.includes('event') ? branches[1] : keys.includes('all') ? branches[2] : branches[0];
    }
  }
  return undefined;
}

/** `rule "id" (rules[3]): field.path: ` for rule fields, `field.path: ` for the rest. */
function where(path: PropertyKey[], root: unknown): string {
  if (path[0] === 'rules' && typeof path[1] === 'number') {
    const raw = valueAt(root, path.slice(0, 2));
    const id =
      raw && typeof raw === 'object' && typeof (raw as { id?: unknown }).id === 'string'
        ? (raw as { id: string }).id
        : undefined;
    const rule = id ? `rule "${id}" (rules[${path[1]}])` : `rule rules[${path[1]}]`;
    const field = path.slice(2).map(String).join('.');
    return `${rule}: ${field ? `${field}: ` : ''}`;
  }
  if (path[0] === 'tiers' && typeof path[1] === 'number') {
    const raw = valueAt(root, path.slice(0, 2)) as { name?: unknown } | undefined;
    const name = typeof raw?.name === 'string' ? ` "${raw.name}"` : '';
    const field = path.slice(2).map(String).join('.');
    return `tier${name} (tiers[${path[1]}]): ${field ? `${field}: ` : ''}`;
  }
  return path.length ? `${path.map(String).join('.')}: ` : '';
}
