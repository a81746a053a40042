import calculateSlot from 'cluster-key-slot';
import { InputError } from '../features/errors.ts';
import { EngagementEvent } from '../features/events.ts';
import { LeadAttributes } from '../features/frame.ts';
import { COMMIT_TIER, RECORD_EVENT, STORE_LEAD, STORE_SCORED } from './online-state-scripts.ts';
import type { RedisClient } from './redis-connection.ts';

/** Options of the online state; every field has a default. */
export interface OnlineStateOptions {
  /**
   * Key prefix. Every key of a lead carries the hash tag `{leadId}`, so on a Redis Cluster
   * the leads spread over the slots (and a lead's script calls touch one); keep the prefix
   * free of `{` and `}`, which would change the tag (a Cluster refuses them). Default
   * `leadscore:state`.
   */
  keyPrefix?: string;
  /** Seconds a lead's state lives after its last update. Default 30 days. */
  ttlSeconds?: number;
  /**
   * Events kept per lead, newest by event time. Older ones drop out: they no longer feed
   * the features, which for windows of days and a decay half-life of weeks costs little.
   * Default 500.
   */
  maxEvents?: number;
  /** Event ids remembered per lead for de-duplication. Default 10 x maxEvents. */
  maxSeenIds?: number;
}

/** A lead's state as read back from Redis. */
export interface LeadState {
  /** The stored attributes; null when the lead was never stored. */
  attributes: LeadAttributes | null;
  events: EngagementEvent[];
  tier: string | null;
  score: number | null;
  /** The id of the scoring that last changed the tier (see COMMIT_TIER). */
  changedBy: string | null;
}

/** The outcome of a tier compare-and-set. */
export interface TierCommit {
  changed: boolean;
  oldTier: string | null;
  oldScore: number | null;
}

type ScriptFn = (...args: (string | number)[]) => Promise<unknown>;

/** A storeScored call waiting for the combined script call of its event-loop turn. */
interface PendingStore {
  keys: [string, string, string, string];
  args: [string, '1' | '0', string, number, string];
  resolve: (out: { commit: TierCommit } | { rescore: LeadState }) => void;
  reject: (err: unknown) => void;
}

/** Leads per combined STORE_SCORED call. */
const MAX_LEADS_PER_STORE = 256;

/**
 * Online feature state per lead in Redis: its attributes, a bounded list of recent events
 * (idempotent by event id) and its last tier. Raw events are kept rather than running
 * aggregates so the features, decay included, are computed at scoring time by the same
 * code the offline pipeline uses.
 */
export class OnlineState {
  readonly keyPrefix: string;
  readonly ttlSeconds: number;
  readonly maxEvents: number;
  readonly maxSeenIds: number;
  private readonly scripts: Record<'recordEvent' | 'storeLead' | 'storeScored' | 'commitTier', ScriptFn>;
  private pendingStores: PendingStore[] = [];
  /** On a Redis Cluster a script call may only touch one slot: storeScored groups its leads by slot. */
  private readonly cluster: boolean;

  constructor(
    private readonly redis: RedisClient,
    options: OnlineStateOptions = {},
  ) {
    this.keyPrefix = options.keyPrefix ?? 'leadscore:state';
    this.cluster = redis.isCluster;
    checkStatePrefix(this.keyPrefix, this.cluster);
    this.ttlSeconds = options.ttlSeconds ?? 30 * 24 * 3600;
    this.maxEvents = options.maxEvents ?? 500;
    this.maxSeenIds = options.maxSeenIds ?? 10 * this.maxEvents;
    // STORE_SCORED takes the keys of any number of leads: its calls give the key count first.
    const define = (name: string, lua: string, numberOfKeys: number | null = 4): ScriptFn => {
      const command = `leadscore${name}`;
      if (!(command in redis)) redis.defineCommand(command, numberOfKeys === null ? { lua } : { numberOfKeys, lua });
      // STORE_SCORED calls go out on their own, not auto-pipelined: each already carries the
      // leads of a whole event-loop turn, and ioredis's auto-pipelining (a pipeline object
      // per turn, its arguments handled again) doubled the client's cost per lead. On a
      // Cluster it is needed as well: an auto-pipelined script call goes to the node of its
      // first argument, which here is the key count, not a key.
      if (numberOfKeys === null && !redis.options.autoPipeliningIgnoredCommands?.includes(command)) {
        redis.options.autoPipeliningIgnoredCommands = [...(redis.options.autoPipeliningIgnoredCommands ?? []), command];
      }
      const fn = (redis as unknown as Record<string, ScriptFn>)[command]!;
      return fn.bind(redis);
    };
    this.scripts = {
      recordEvent: define('RecordEvent', RECORD_EVENT),
      storeLead: define('StoreLead', STORE_LEAD),
      storeScored: define('StoreScoredMany', STORE_SCORED, null),
      commitTier: define('CommitTier', COMMIT_TIER),
    };
  }

  /** The four keys of a lead, sharing the `{leadId}` hash tag. */
  keys(leadId: string): [string, string, string, string] {
    const base = `${this.keyPrefix}:{${leadId}}`;
    return [`${base}:events`, `${base}:seen`, `${base}:attributes`, `${base}:tier`];
  }

  /**
   * Records an event (counted once per `eventId`) and, when given, the lead's attributes;
   * returns whether it was a duplicate and the lead's state after it.
   */
  async recordEvent(
    event: EngagementEvent & { eventId: string },
    attributes?: LeadAttributes,
  ): Promise<{ duplicate: boolean; state: LeadState }> {
    const reply = await this.scripts.recordEvent(
      ...this.keys(event.leadId),
      event.eventId,
      event.at,
      JSON.stringify(event),
      this.maxEvents,
      this.maxSeenIds,
      this.ttlSeconds,
      attributes ? JSON.stringify(attributes) : '',
    );
    return parseStateReply(reply);
  }

  /** Stores a lead's attributes; returns its events (when `withEvents`) and tier (attributes: null, the caller has them). */
  async storeLead(leadId: string, attributes: LeadAttributes, withEvents: boolean): Promise<LeadState> {
    const reply = await this.scripts.storeLead(
      ...this.keys(leadId),
      JSON.stringify(attributes),
      this.ttlSeconds,
      withEvents ? '1' : '0',
    );
    return parseStateReply(reply).state;
  }

  /**
   * Stores a lead's attributes and commits the tier it was scored at, in one step (see
   * STORE_SCORED). `checkEvents`: the scoring assumed the lead has no stored events; when it
   * has some, nothing is committed and its state comes back (`rescore`) to score again with
   * them and commit with `commitTier`.
   *
   * The calls made in one event-loop turn (the jobs scored together) share one script call
   * (on a Redis Cluster, one per hash slot among their leads).
   */
  storeScored(
    leadId: string,
    attributes: LeadAttributes,
    checkEvents: boolean,
    tier: string,
    score: number,
    jobId: string,
  ): Promise<{ commit: TierCommit } | { rescore: LeadState }> {
    return new Promise((resolve, reject) => {
      if (this.pendingStores.length === 0) process.nextTick(this.flushStores);
      this.pendingStores.push({
        keys: this.keys(leadId),
        args: [JSON.stringify(attributes), checkEvents ? '1' : '0', tier, score, jobId],
        resolve,
        reject,
      });
    });
  }

  /** Sends the storeScored calls made so far, MAX_LEADS_PER_STORE leads per script call. */
  private readonly flushStores = (): void => {
    const all = this.pendingStores;
    this.pendingStores = [];
    for (const group of this.cluster ? bySlot(all) : [all]) {
      for (let from = 0; from < group.length; from += MAX_LEADS_PER_STORE) {
        this.sendStores(group.length <= MAX_LEADS_PER_STORE ? group : group.slice(from, from + MAX_LEADS_PER_STORE));
      }
    }
  };

  /** One STORE_SCORED call for `part`, settling each lead's promise with its reply. */
  private sendStores(part: PendingStore[]): void {
    const keys: string[] = [];
    const args: (string | number)[] = [this.ttlSeconds];
    for (const p of part) {
      keys.push(...p.keys);
      args.push(...p.args);
    }
    this.scripts.storeScored(keys.length, ...keys, ...args).then(
      (replies) => {
        for (let i = 0; i < part.length; i++) {
          const p = part[i]!;
          try {
            p.resolve(storedReply((replies as unknown[][])[i]!));
          } catch (err) {
            p.reject(err);
          }
        }
      },
      (err: unknown) => {
        for (const p of part) p.reject(err);
      },
    );
  }

  /** Sets the lead's tier and score; tells whether the tier changed (see COMMIT_TIER). */
  async commitTier(leadId: string, tier: string, score: number, jobId: string): Promise<TierCommit> {
    const reply = (await this.scripts.commitTier(...this.keys(leadId), tier, score, jobId, this.ttlSeconds, 'set')) as [
      number,
      string,
      string,
    ];
    return { changed: reply[0] === 1, oldTier: reply[1] || null, oldScore: reply[2] === '' ? null : Number(reply[2]) };
  }

  /**
   * Refreshes the stored score when the tier is unchanged, and only while the lead is still
   * in `tier` (a concurrent change wins).
   */
  async refreshScore(leadId: string, tier: string, score: number): Promise<void> {
    await this.scripts.commitTier(...this.keys(leadId), tier, score, '', this.ttlSeconds, 'score-only');
  }

  /** Reads a lead's state without changing it (for tests and operators). */
  async read(leadId: string): Promise<LeadState> {
    const [events, , attributes, tier] = this.keys(leadId);
    const [evs, attrs, t] = await Promise.all([
      this.redis.zrange(events, 0, -1),
      this.redis.get(attributes),
      this.redis.hmget(tier, 'tier', 'score', 'changedBy'),
    ]);
    return parseStateReply([0, attrs ?? '', evs, t[0] ?? '', t[1] ?? '', t[2] ?? '']).state;
  }

  /** Deletes a lead's state. */
  async forget(leadId: string): Promise<void> {
    await this.redis.del(...this.keys(leadId));
  }
}

/**
 * Refuses, on a Redis Cluster, a state prefix with `{` or `}`: it would change the hash tag
 * of the leads' keys (all leads in one slot, or a lead's keys in several).
 */
export function checkStatePrefix(prefix: string, cluster: boolean, field = 'state prefix'): void {
  if (cluster && /[{}]/.test(prefix)) {
    throw new InputError(
      `${field} "${prefix}": on a Redis Cluster keep it free of { and }, so each lead's keys are tagged by the lead`,
    );
  }
}

/** The stores grouped by the Redis Cluster slot of their lead (all four keys of a lead share it). */
function bySlot(stores: PendingStore[]): PendingStore[][] {
  const groups = new Map<number, PendingStore[]>();
  for (const p of stores) {
    const slot = calculateSlot(p.keys[0]);
    const group = groups.get(slot);
    if (group) group.push(p);
    else groups.set(slot, [p]);
  }
  return [...groups.values()];
}

/** One lead's part of a STORE_SCORED reply. */
function storedReply(reply: unknown[]): { commit: TierCommit } | { rescore: LeadState } {
  if (reply[0] === 0) return { rescore: parseStateReply(reply).state };
  const [, changed, oldTier, oldScore] = reply as [number, number, string, string];
  return {
    commit: { changed: changed === 1, oldTier: oldTier || null, oldScore: oldScore === '' ? null : Number(oldScore) },
  };
}

function parseStateReply(reply: unknown): { duplicate: boolean; state: LeadState } {
  const [dup, attrs, events, tier, score, changedBy] = reply as [number, string, string[], string, string, string];
  return {
    duplicate: dup === 1,
    state: {
      attributes: attrs === '' ? null : LeadAttributes.parse(JSON.parse(attrs)),
      events: events.map((e) => EngagementEvent.parse(JSON.parse(e))),
      tier: tier === '' ? null : tier,
      score: score === '' ? null : Number(score),
      changedBy: changedBy === '' ? null : changedBy,
    },
  };
}
