import fc from 'fast-check';
import { numberValues } from '../../../features/frame.ts';
import { describe, expect, it } from 'vitest';
import type { EngagementEvent } from '../../../features/events.ts';
import type { Frame } from '../../../features/frame.ts';
import { compileRules } from '../../../models/rules/compile-rules.ts';
import { RulesFile } from '../../../models/rules/rules-file.ts';

const DAY = 86_400_000;
const ASOF = Date.UTC(2026, 5, 1);
const CATEGORIES = ['a', 'b', 'C', 'd'];
const TYPES = ['view', 'open', 'click', 'unsub'];

const points = fc.integer({ min: -50, max: 50 });
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

const attributeRule = fc.oneof(
  fc.record({ column: fc.constant('cat'), equals: fc.constantFrom(...CATEGORIES) }),
  fc.record({ column: fc.constant('cat'), oneOf: fc.subarray(CATEGORIES, { minLength: 1 }) }),
  fc.record({ column: fc.constant('cat'), notOneOf: fc.subarray(CATEGORIES, { minLength: 1 }) }),
  fc.record({ column: fc.constant('cat'), pattern: fc.constantFrom('^a', 'c|d', '[ab]') }),
  fc.record({
    column: fc.constant('num'),
    range: fc.record({ atLeast: fc.integer({ min: -5, max: 0 }), below: fc.integer({ min: 1, max: 6 }) }),
  }),
  fc.record({ column: fc.constantFrom('num', 'cat'), missing: fc.constant(true as const) }),
  fc.record({ column: fc.constantFrom('num', 'cat'), present: fc.constant(true as const) }),
  fc.record({ column: fc.constant('seen'), daysAgo: fc.record({ atLeast: fc.integer({ min: 0, max: 30 }) }) }),
);

const allRule = fc.tuple(attributeRule, attributeRule).map(([a, b]) => ({ all: [a, b] }));

const eventRule = fc.record(
  {
    event: fc.oneof(fc.constantFrom(...TYPES), fc.subarray(TYPES, { minLength: 1 })),
    where: maybe(
      fc.oneof(
        fc.record({ page: fc.constantFrom('pricing', ['docs', 'blog']) }),
        fc.record({ seconds: fc.constant({ atLeast: 30 }) }),
      ),
    ),
    cap: maybe(fc.integer({ min: 1, max: 80 })),
    withinDays: maybe(fc.integer({ min: 1, max: 60 })),
  },
  { requiredKeys: ['event'] },
);

const caps = maybe(
  fc.record({ min: maybe(fc.integer({ min: -100, max: 0 })), max: maybe(fc.integer({ min: 0, max: 100 })) }),
);

const rulesFile = fc
  .record({
    rules: fc.array(fc.tuple(fc.oneof(attributeRule, allRule, eventRule), points, fc.boolean()), {
      minLength: 1,
      maxLength: 12,
    }),
    fit: caps,
    engagement: caps,
    total: caps,
    decay: maybe(
      fc.oneof(
        fc.record({ halfLifeDays: fc.integer({ min: 1, max: 60 }) }),
        fc.record({ pointsLost: fc.integer({ min: 1, max: 20 }), everyDays: fc.integer({ min: 1, max: 30 }) }),
      ),
    ),
  })
  .map(({ rules, ...rest }) =>
    RulesFile.parse(
      JSON.parse(
        JSON.stringify({
          name: 'random',
          rules: rules.map(([r, p, engagement], i) => ({
            id: `r${i}`,
            points: p,
            ...r,
            ...(!('event' in r) && engagement ? { score: 'engagement' } : {}),
          })),
          ...rest,
          tiers: [{ name: 'hot', atLeast: 40 }, { name: 'warm', atLeast: 0 }, { name: 'cold' }],
        }),
      ),
    ),
  );

const lead = fc.record({
  cat: fc.option(fc.constantFrom(...CATEGORIES, 'e'), { nil: null }),
  num: fc.option(fc.integer({ min: -10, max: 10 }), { nil: null }),
  seen: fc.option(
    fc.integer({ min: 0, max: 60 }).map((d) => ASOF - d * DAY),
    { nil: null },
  ),
});

const events = fc.array(
  fc.record({
    type: fc.constantFrom(...TYPES, 'other'),
    daysAgo: fc.double({ min: -5, max: 90, noNaN: true }),
    page: maybe(fc.constantFrom('pricing', 'docs', 'blog', 'home')),
    seconds: fc.integer({ min: 0, max: 60 }),
  }),
  { maxLength: 15 },
);

const manual = fc.array(
  fc.record({ points: fc.integer({ min: -30, max: 30 }), reason: fc.constantFrom('call', 'meeting') }),
  { maxLength: 3 },
);

function toEvents(
  leadId: string,
  raw: { type: string; daysAgo: number; page?: string; seconds: number }[],
): EngagementEvent[] {
  return raw.map((e) => ({
    leadId,
    type: e.type,
    at: ASOF - e.daysAgo * DAY,
    properties: (e.page ? { page: e.page, seconds: e.seconds } : { seconds: e.seconds }) as unknown as Record<
      string,
      number
    >,
  }));
}

describe('breakdown', () => {
  it('always adds up to the total, per sub-score, and agrees with the batch path', () => {
    fc.assert(
      fc.property(
        rulesFile,
        fc.array(fc.tuple(lead, events, manual), { minLength: 1, maxLength: 8 }),
        (file, leads) => {
          const engine = compileRules(file);
          const eventLists = leads.map(([, ev], i) => toEvents(`L${i}`, ev));
          const manualById = new Map(leads.map(([, , m], i) => [`L${i}`, m]));
          const scores = leads.map(([attrs], i) => engine.score(attrs, eventLists[i]!, ASOF, manualById.get(`L${i}`)));
          for (const s of scores) {
            const sum = (kinds: string[]) =>
              s.fired.filter((f) => kinds.includes(f.kind)).reduce((a, f) => a + f.points, 0);
            expect(sum(['fit', 'engagement', 'manual', 'decay', 'cap'])).toBeCloseTo(s.total, 9);
            const fitCap = s.fired.find((f) => f.rule === 'cap:fit')?.points ?? 0;
            expect(sum(['fit']) + fitCap).toBeCloseTo(s.fit, 9);
            if (file.total?.max !== undefined) expect(s.total).toBeLessThanOrEqual(file.total.max);
            if (file.total?.min !== undefined) expect(s.total).toBeGreaterThanOrEqual(file.total.min);
          }
          const frame: Frame = {
            source: 'test',
            rowCount: leads.length,
            ids: leads.map((_, i) => `L${i}`),
            rowNumbers: leads.map((_, i) => i + 1),
            columns: [
              { name: 'cat', type: 'categorical', values: leads.map(([a]) => a.cat) },
              { name: 'num', type: 'numeric', values: numberValues(leads.map(([a]) => a.num)) },
              { name: 'seen', type: 'timestamp', values: numberValues(leads.map(([a]) => a.seen)) },
            ],
          };
          for (const [byLead, breakdown] of [
            [eventLists, false],
            [new Map(eventLists.map((e, i) => [`L${i}`, e])), true],
          ] as const) {
            const batch = engine.scoreFrame(frame, byLead, ASOF, { manual: manualById, breakdown });
            scores.forEach((s, i) => {
              expect(batch.fit[i]).toBe(s.fit);
              expect(batch.engagement[i]).toBe(s.engagement);
              expect(batch.total[i]).toBe(s.total);
              expect(engine.tierNames[batch.tier[i]!]).toBe(s.tier);
              if (breakdown) expect(batch.fired![i]).toEqual(s.fired);
            });
          }
        },
      ),
      { numRuns: 300, seed: 20260131 },
    );
  });
});
