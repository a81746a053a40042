import { InputError } from '../features/errors.ts';
import { AttributeCheck, type AttributeTally } from './attribute-check.ts';
import { checkEventTime, DEFAULT_MAX_CLOCK_SKEW_MS } from './event-time-check.ts';
import type { EventJobData, LeadPayload } from './job-schemas.ts';
import { DEFAULT_MAX_PAYLOAD_BYTES, DEFAULT_MAX_STATE_BYTES, jsonSize } from './payload-size.ts';
import type { InputSchema } from './servable-model.ts';
import type { WorkerMetrics } from './worker-metrics.ts';

/** What the worker accepts beyond the payload schemas; every field has a default. */
export interface InputContractOptions {
  /** Refuse a lead with an attribute name the model does not read (else: a warning). Default false. */
  strictAttributes?: boolean;
  /** How far (ms) an event time may run ahead of the worker's clock. Default 1 day. */
  maxClockSkewMs?: number;
  /** Largest job payload, as JSON (see jsonSize). Default 16 MiB. */
  maxPayloadBytes?: number;
  /** Largest attributes of a lead kept in the online state, as JSON. Default 64 KiB. */
  maxStateBytes?: number;
}

/**
 * The checks that keep a payload from being scored wrongly without an error: its size,
 * its attribute names against the served model's (see AttributeCheck), and the
 * plausibility of its times (see checkEventTime). A refusal is an InputError naming the
 * field; the job processor fails the job without retries.
 */
export class InputContracts {
  readonly strictAttributes: boolean;
  readonly maxClockSkewMs: number;
  readonly maxPayloadBytes: number;
  readonly maxStateBytes: number;
  /** One check per served schema (a reload brings a new one). */
  private readonly checks = new WeakMap<InputSchema, AttributeCheck>();

  constructor(
    options: InputContractOptions,
    private readonly metrics: WorkerMetrics,
  ) {
    this.strictAttributes = options.strictAttributes ?? false;
    this.maxClockSkewMs = options.maxClockSkewMs ?? DEFAULT_MAX_CLOCK_SKEW_MS;
    this.maxPayloadBytes = options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
    this.maxStateBytes = options.maxStateBytes ?? DEFAULT_MAX_STATE_BYTES;
  }

  /** Refuses a job payload above maxPayloadBytes, before any other look at it. */
  checkSize(data: unknown): void {
    const size = jsonSize(data, this.maxPayloadBytes);
    if (size > this.maxPayloadBytes)
      throw new InputError(`(payload): more than ${this.maxPayloadBytes} bytes as JSON (--max-payload-bytes)`);
  }

  /**
   * Checks payload leads (`where(i)` names lead i, e.g. `leads.3`) against `schema` as of
   * `now`; returns each lead's warning, or undefined when no lead has one.
   */
  checkLeads(
    leads: readonly LeadPayload[],
    where: (i: number) => string,
    store: boolean,
    schema: InputSchema | undefined,
    now: number,
  ): (string | undefined)[] | undefined {
    const check = schema && this.checkFor(schema);
    const tally = check?.tally();
    let warnings: (string | undefined)[] | undefined;
    for (let i = 0; i < leads.length; i++) {
      const lead = leads[i]!;
      if (lead.asOf !== undefined) checkEventTime(lead.asOf, `${where(i)}.asOf`, now, Infinity);
      const events = lead.events;
      if (events)
        for (let e = 0; e < events.length; e++)
          checkEventTime(events[e]!.at, `${where(i)}.events.${e}.at`, now, this.maxClockSkewMs);
      if (store) this.checkStored(lead.attributes, `${where(i)}.attributes`);
      const warning = check?.check(lead.attributes, `${where(i)}.attributes`, true, tally!);
      if (warning) (warnings ??= new Array<string | undefined>(leads.length))[i] = warning;
    }
    if (check) this.metrics.recordAttributes(check.columns, tally!);
    return warnings;
  }

  /** Checks an event job: its time, and the attributes it stores (if any). Returns a warning. */
  checkEvent(data: EventJobData, schema: InputSchema | undefined, now: number): string | undefined {
    checkEventTime(data.event.at, 'event.at', now, this.maxClockSkewMs);
    if (!data.attributes) return undefined;
    this.checkStored(data.attributes, 'attributes');
    const check = schema && this.checkFor(schema);
    if (!check) return undefined;
    const tally = check.tally();
    const warning = check.check(data.attributes, 'attributes', true, tally);
    this.metrics.recordAttributes(check.columns, tally);
    return warning;
  }

  private checkStored(attributes: LeadPayload['attributes'], where: string): void {
    const size = jsonSize(attributes, this.maxStateBytes);
    if (size > this.maxStateBytes)
      throw new InputError(
        `${where}: more than ${this.maxStateBytes} bytes as JSON, the most a lead's stored state may hold (--max-state-bytes)`,
      );
  }

  private checkFor(schema: InputSchema): AttributeCheck {
    let check = this.checks.get(schema);
    if (!check) this.checks.set(schema, (check = new AttributeCheck(schema, this.strictAttributes)));
    return check;
  }
}

export type { AttributeTally };
