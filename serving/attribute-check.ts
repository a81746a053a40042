import { InputError } from '../features/errors.ts';
import type { LeadAttributes } from '../features/frame.ts';
import type { InputSchema } from './servable-model.ts';

/** What the checks of one job saw, for the worker's metrics. */
export interface AttributeTally {
  leads: number;
  /** Leads without a value, per column of the schema (in `columns` order). */
  missing: number[];
  /** Unknown attribute names, summed over the leads. */
  unknown: number;
}

/**
 * Checks lead attributes against the names a model reads. CRM records carry many fields
 * a model does not use, and new leads few it does, so extra and missing names are allowed;
 * but a lead that names none of the model's columns would be scored on defaults alone (a
 * payload in another naming, `Age` for `age`), so it is refused, naming what it got.
 * Unknown names come back as a warning, or are refused with `strict`.
 */
export class AttributeCheck {
  /** The model's attribute columns (those whose missing rate is counted). */
  readonly columns: string[];
  private readonly known: Set<string>;

  constructor(
    private readonly schema: InputSchema,
    private readonly strict: boolean,
  ) {
    this.columns = schema.attributes.map((a) => a.name);
    this.known = new Set([...this.columns, ...schema.ruleColumns]);
  }

  /** An empty tally for this schema's columns. */
  tally(): AttributeTally {
    return { leads: 0, missing: new Array<number>(this.columns.length).fill(0), unknown: 0 };
  }

  /**
   * Checks one lead's attributes (`where` names them in messages, e.g. `leads.3.attributes`);
   * returns its warning, if any. Throws an InputError when none of the known names is
   * present (`needSome`), or for an unknown name when strict.
   */
  check(attributes: LeadAttributes, where: string, needSome: boolean, tally: AttributeTally): string | undefined {
    let unknown: string[] | undefined;
    let anyKnown = false;
    for (const name in attributes) {
      if (this.known.has(name)) anyKnown = true;
      else (unknown ??= []).push(name);
    }
    if (needSome && !anyKnown && this.known.size > 0) {
      const got = Object.keys(attributes);
      throw new InputError(
        `${where}: none of the model's input columns is present (it reads ${nameList([...this.known])}); got ${got.length === 0 ? 'no attributes' : nameList(got)}`,
      );
    }
    if (unknown && this.strict) {
      throw new InputError(
        `${where}: unknown attribute${unknown.length > 1 ? 's' : ''} ${nameList(unknown)} (refused by --strict-attributes; the model reads ${nameList([...this.known])})`,
      );
    }
    tally.leads++;
    for (let i = 0; i < this.columns.length; i++) {
      const v = attributes[this.columns[i]!];
      if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) tally.missing[i]!++;
    }
    if (!unknown) return undefined;
    tally.unknown += unknown.length;
    return `unknown attribute${unknown.length > 1 ? 's' : ''} ignored (not read by the model): ${nameList(unknown)}`;
  }
}

/** Names quoted, at most `max` of them, each cut to 64 characters (a payload may hold any). */
function nameList(names: string[], max = 10): string {
  const shown = names.slice(0, max).map((n) => JSON.stringify(n.length > 64 ? `${n.slice(0, 64)}...` : n));
  return names.length > max ? `${shown.join(', ')} and ${names.length - max} more` : shown.join(', ');
}
