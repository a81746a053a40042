import { describe, expect, it } from 'vitest';
import type { EngagementEvent } from '../../../features/events.ts';
import { compileRules } from '../../../models/rules/compile-rules.ts';
import { RulesFile } from '../../../models/rules/rules-file.ts';

const DAY = 86_400_000;
const ASOF = Date.UTC(2026, 0, 31);

function engine(rules: unknown[], extra: Record<string, unknown> = {}) {
  return compileRules(
    RulesFile.parse({ name: 't', rules, tiers: [{ name: 'hot', atLeast: 50 }, { name: 'cold' }], ...extra }),
  );
}

/** An event `daysAgo` days before ASOF. */
function ev(type: string, daysAgo: number, properties?: Record<string, unknown>): EngagementEvent {
  return {
    leadId: 'L1',
    type,
    at: ASOF - daysAgo * DAY,
    ...(properties ? { properties: properties as Record<string, number> } : {}),
  };
}

describe('event rules', () => {
  it('gives points per occurrence and ignores other types', () => {
    const e = engine([{ id: 'opens', event: 'email_open', points: 2 }]);
    const s = e.score({}, [ev('email_open', 1), ev('email_open', 3), ev('page_view', 1)], ASOF);
    expect(s.engagement).toBe(4);
    expect(s.fired).toEqual([{ rule: 'opens', points: 4, kind: 'engagement' }]);
  });

  it('counts only events strictly before asOf', () => {
    const e = engine([{ id: 'opens', event: 'email_open', points: 2 }]);
    expect(e.score({}, [ev('email_open', 0), ev('email_open', -1), ev('email_open', 0.001)], ASOF).engagement).toBe(2);
  });

  it('caps a rule in absolute value, for positive and negative points', () => {
    const e = engine([
      { id: 'views', event: 'page_view', points: 3, cap: 10 },
      { id: 'unsub', event: 'unsubscribe', points: -30, cap: 40 },
    ]);
    const events = [1, 2, 3, 4, 5].map((d) => ev('page_view', d)).concat([ev('unsubscribe', 1), ev('unsubscribe', 2)]);
    const s = e.score({}, events, ASOF);
    expect(s.fired).toEqual([
      { rule: 'views', points: 10, kind: 'engagement' },
      { rule: 'unsub', points: -40, kind: 'engagement' },
    ]);
    expect(s.engagement).toBe(-30);
  });

  it('withinDays keeps only recent events', () => {
    const e = engine([{ id: 'recent', event: 'webinar', points: 10, withinDays: 30 }]);
    expect(e.score({}, [ev('webinar', 29.9), ev('webinar', 30), ev('webinar', 31)], ASOF).engagement).toBe(20);
  });

  it('filters on a property, one value or one of several, and accepts several types', () => {
    const e = engine([
      { id: 'pricing', event: 'page_view', where: { page: 'pricing' }, points: 10 },
      { id: 'docs-or-blog', event: 'page_view', where: { page: ['docs', 'blog'] }, points: 1 },
      { id: 'email', event: ['email_open', 'email_click'], points: 2 },
    ]);
    const s = e.score(
      {},
      [
        ev('page_view', 1, { page: 'Pricing' }),
        ev('page_view', 2, { page: 'docs' }),
        ev('page_view', 2),
        ev('email_click', 1),
        ev('email_open', 1),
      ],
      ASOF,
    );
    expect(s.fired).toEqual([
      { rule: 'pricing', points: 10, kind: 'engagement' },
      { rule: 'docs-or-blog', points: 1, kind: 'engagement' },
      { rule: 'email', points: 4, kind: 'engagement' },
    ]);
  });
});

describe('event property ranges', () => {
  it('match numbers and numeric text inside the range only', () => {
    const e = engine([
      { id: 'long-reads', event: 'page_view', where: { seconds: { atLeast: 60, below: 600 } }, points: 5 },
    ]);
    const events = [
      { seconds: 90 },
      { seconds: 59 },
      { seconds: '120' },
      { seconds: 600 },
      { seconds: 'long' },
      undefined,
    ].map((p) => ev('page_view', 1, p));
    expect(e.score({}, events, ASOF).engagement).toBe(10);
  });
});

describe('decay', () => {
  it('half-life halves each event at its age, and leaves negative points whole', () => {
    const e = engine(
      [
        { id: 'views', event: 'page_view', points: 8 },
        { id: 'unsub', event: 'unsubscribe', points: -5 },
      ],
      { decay: { halfLifeDays: 10 } },
    );
    // 8 * (0.5^(10/10) + 0.5^(20/10)) = 8 * 0.75 = 6 of the raw 16: decay is -10.
    const s = e.score({}, [ev('page_view', 10), ev('page_view', 20), ev('unsubscribe', 40)], ASOF);
    expect(s.fired.map((f) => f.rule)).toEqual(['views', 'unsub', 'decay']);
    expect(s.fired[2]!.points).toBeCloseTo(-10, 10);
    expect(s.engagement).toBeCloseTo(16 - 5 - 10, 10);
  });

  it('half-life decays against the rule cap', () => {
    const e = engine([{ id: 'views', event: 'page_view', points: 10, cap: 10 }], { decay: { halfLifeDays: 5 } });
    // Raw 2 views = 20 capped at 10; decayed 10*(0.5 + 0.5) = 10 capped at 10: no decay.
    const s = e.score({}, [ev('page_view', 5), ev('page_view', 5)], ASOF);
    expect(s.engagement).toBeCloseTo(10, 10);
    expect(s.fired.find((f) => f.kind === 'decay')).toBeUndefined();
  });

  it('linear decay loses points per full period since the last event, never below zero', () => {
    const e = engine([{ id: 'views', event: 'page_view', points: 5 }], { decay: { pointsLost: 3, everyDays: 7 } });
    // Last event 15 days ago: 2 full weeks, -6 of the 10 points.
    expect(e.score({}, [ev('page_view', 15), ev('page_view', 40)], ASOF).fired).toEqual([
      { rule: 'views', points: 10, kind: 'engagement' },
      { rule: 'decay', points: -6, kind: 'decay' },
    ]);
    expect(e.score({}, [ev('page_view', 6)], ASOF).engagement).toBe(5);
    expect(e.score({}, [ev('page_view', 100)], ASOF).engagement).toBe(0);
  });

  it('inactivity counts from the last event of any type', () => {
    const e = engine([{ id: 'views', event: 'page_view', points: 5 }], { decay: { pointsLost: 3, everyDays: 7 } });
    expect(e.score({}, [ev('page_view', 30), ev('email_open', 1)], ASOF).engagement).toBe(5);
  });
});

describe('caps, manual points and tiers', () => {
  const rules = [
    { id: 'manager', column: 'job', equals: 'manager', points: 40 },
    { id: 'big', column: 'size', range: { atLeast: 500 }, points: 30 },
    { id: 'views', event: 'page_view', points: 10 },
  ];

  it('caps each score and shows the cut as a cap entry', () => {
    const e = engine(rules, { fit: { max: 50 }, engagement: { max: 25 }, total: { max: 60 } });
    const s = e.score(
      { job: 'manager', size: 1000 },
      [1, 2, 3].map((d) => ev('page_view', d)),
      ASOF,
    );
    expect(s).toMatchObject({ fit: 50, engagement: 25, total: 60 });
    expect(s.fired).toEqual([
      { rule: 'manager', points: 40, kind: 'fit' },
      { rule: 'big', points: 30, kind: 'fit' },
      { rule: 'cap:fit', points: -20, kind: 'cap' },
      { rule: 'views', points: 30, kind: 'engagement' },
      { rule: 'cap:engagement', points: -5, kind: 'cap' },
      { rule: 'cap:total', points: -15, kind: 'cap' },
    ]);
  });

  it('applies minimum caps', () => {
    const e = engine([{ id: 'spam', column: 'email', pattern: 'test', points: -100 }], {
      fit: { min: -20 },
      total: { min: 0 },
    });
    const s = e.score({ email: 'test@test.com' }, [], ASOF);
    expect(s.fit).toBe(-20);
    expect(s.total).toBe(0);
    expect(s.fired.map((f) => [f.rule, f.points])).toEqual([
      ['spam', -100],
      ['cap:fit', 80],
      ['cap:total', 20],
    ]);
  });

  it('adds manual points to the total', () => {
    const e = engine(rules);
    const s = e.score({ job: 'manager' }, [], ASOF, [
      { points: 15, reason: 'met at trade show' },
      { points: -5, reason: 'asked for no calls' },
    ]);
    expect(s.total).toBe(50);
    expect(s.fit).toBe(40);
    expect(s.tier).toBe('hot');
    expect(s.fired.slice(1)).toEqual([
      { rule: 'manual: met at trade show', points: 15, kind: 'manual' },
      { rule: 'manual: asked for no calls', points: -5, kind: 'manual' },
    ]);
  });

  it('counts manual points only when given before the scoring time', () => {
    const e = engine(rules);
    const s = e.score({}, [], ASOF, [
      { points: 15, reason: 'call', at: ASOF - DAY },
      { points: 7, reason: 'later meeting', at: ASOF },
      { points: 2, reason: 'undated' },
    ]);
    expect(s.total).toBe(17);
    expect(s.fired.map((f) => f.rule)).toEqual(['manual: call', 'manual: undated']);
  });

  it('picks the first tier whose threshold the total reaches', () => {
    const e = compileRules(
      RulesFile.parse({
        name: 't',
        rules: [{ id: 'v', column: 'v', range: { atLeast: -1000 }, points: 0 }],
        tiers: [{ name: 'SQL', atLeast: 80 }, { name: 'MQL', atLeast: 50 }, { name: 'cold' }],
      }),
    );
    expect(e.tierNames).toEqual(['SQL', 'MQL', 'cold']);
    const tierOf = (points: number) => e.score({}, [], ASOF, [{ points, reason: 'x' }]).tier;
    expect([tierOf(80), tierOf(79.99), tierOf(50), tierOf(49), tierOf(-10)]).toEqual([
      'SQL',
      'MQL',
      'MQL',
      'cold',
      'cold',
    ]);
  });
});
