/**
 * Rule engine throughput: 20 rules (12 on attributes, 8 on events, half-life decay, caps)
 * over 100k generated leads with about 10 events each. Prints one JSON line last, with
 * `leadsPerSecond` for the batch path, `breakdownLeadsPerSecond` with breakdowns and
 * `onlineLeadsPerSecond` for one-lead-at-a-time `score` calls (the serving path);
 * `leadsPerCpuSecond` measures the batch path by CPU time instead of wall time.
 * Run: npm run bench:rules [-- --leads N]
 */
import { performance } from 'node:perf_hooks';
import type { EngagementEvent } from '../../features/events.ts';
import { frameRow, numberValues, type Frame } from '../../features/frame.ts';
import { compileRules } from '../../models/rules/compile-rules.ts';
import { RulesFile } from '../../models/rules/rules-file.ts';
import { seededRandom } from '../../models/seeded-random.ts';

const DAY = 86_400_000;
const ASOF = Date.UTC(2026, 0, 1);
const leadsArg = process.argv.indexOf('--leads');
const N = leadsArg > 0 ? Number(process.argv[leadsArg + 1]) : 100_000;

const rules = RulesFile.parse({
  name: 'bench',
  fit: { min: -40, max: 60 },
  engagement: { max: 60 },
  total: { min: 0, max: 100 },
  decay: { halfLifeDays: 30 },
  tiers: [{ name: 'SQL', atLeast: 70 }, { name: 'MQL', atLeast: 40 }, { name: 'cold' }],
  rules: [
    { id: 'industry-target', column: 'industry', oneOf: ['software', 'finance', 'healthcare'], points: 15 },
    { id: 'industry-student', column: 'industry', equals: 'education', points: -10 },
    { id: 'size-mid', column: 'employees', range: { atLeast: 50, below: 1000 }, points: 10 },
    { id: 'size-enterprise', column: 'employees', range: { atLeast: 1000 }, points: 20 },
    { id: 'size-missing', column: 'employees', missing: true, points: -5 },
    { id: 'country-outside', column: 'country', notOneOf: ['US', 'UK', 'DE', 'FR'], points: -15 },
    { id: 'title-senior', column: 'title', pattern: '\\b(vp|director|head|chief|cto|ceo)\\b', points: 20 },
    { id: 'title-junior', column: 'title', pattern: '\\b(intern|student|assistant)\\b', points: -10 },
    { id: 'email-free', column: 'email_domain', oneOf: ['gmail.com', 'yahoo.com', 'hotmail.com'], points: -10 },
    { id: 'email-present', column: 'email_domain', present: true, points: 2 },
    { id: 'source-referral', column: 'source', equals: 'referral', points: 10 },
    { id: 'stale-signup', column: 'signed_up', daysAgo: { atLeast: 365 }, points: -5 },
    { id: 'pricing-views', event: 'page_view', where: { page: 'pricing' }, points: 10, cap: 30, withinDays: 30 },
    { id: 'docs-views', event: 'page_view', where: { page: ['docs', 'blog'] }, points: 2, cap: 10 },
    { id: 'email-opens', event: 'email_open', points: 1, cap: 5 },
    { id: 'email-clicks', event: 'email_click', points: 3, cap: 15 },
    { id: 'webinar', event: 'webinar', points: 15 },
    { id: 'download', event: 'download', points: 8, cap: 16 },
    { id: 'form', event: 'form_submit', points: 25, withinDays: 90 },
    { id: 'unsubscribe', event: 'unsubscribe', points: -40 },
  ],
});

function generate(n: number): { frame: Frame; events: EngagementEvent[][]; eventCount: number } {
  const r = seededRandom(42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const industries = ['software', 'finance', 'healthcare', 'retail', 'education', 'manufacturing'];
  const countries = ['US', 'UK', 'DE', 'FR', 'BR', 'IN', 'PT'];
  const titles = [
    'VP Marketing',
    'Marketing intern',
    'Head of Growth',
    'Analyst',
    'CTO',
    'Sales assistant',
    'Engineer',
  ];
  const domains = ['gmail.com', 'acme.com', 'yahoo.com', 'corp.io', 'hotmail.com', null];
  const sources = ['referral', 'ads', 'organic', 'event'];
  const types = [
    'page_view',
    'page_view',
    'page_view',
    'email_open',
    'email_open',
    'email_click',
    'webinar',
    'download',
    'form_submit',
    'unsubscribe',
  ];
  const pages = ['pricing', 'docs', 'blog', 'home'];
  const ids: string[] = [];
  const events: EngagementEvent[][] = [];
  let eventCount = 0;
  const col = <T>(f: () => T) => Array.from({ length: n }, f);
  for (let i = 0; i < n; i++) {
    const id = `L${i}`;
    ids.push(id);
    const k = Math.floor(r() * 21);
    const list: EngagementEvent[] = [];
    for (let e = 0; e < k; e++) {
      const type = pick(types);
      const at = ASOF - r() * 180 * DAY + (r() < 0.02 ? 200 * DAY : 0);
      list.push(
        type === 'page_view'
          ? { leadId: id, type, at, properties: { page: pick(pages) } as unknown as Record<string, number> }
          : { leadId: id, type, at },
      );
    }
    eventCount += k;
    events.push(list);
  }
  const frame: Frame = {
    source: 'bench',
    rowCount: n,
    ids,
    rowNumbers: ids.map((_, i) => i + 1),
    columns: [
      { name: 'industry', type: 'categorical', values: col(() => pick(industries)) },
      {
        name: 'employees',
        type: 'numeric',
        values: numberValues(col(() => (r() < 0.1 ? null : Math.floor(r() ** 3 * 5000)))),
      },
      { name: 'country', type: 'categorical', values: col(() => pick(countries)) },
      { name: 'title', type: 'text', values: col(() => pick(titles)) },
      { name: 'email_domain', type: 'categorical', values: col(() => pick(domains)) },
      { name: 'source', type: 'categorical', values: col(() => pick(sources)) },
      { name: 'signed_up', type: 'timestamp', values: numberValues(col(() => ASOF - Math.floor(r() * 730) * DAY)) },
    ],
  };
  return { frame, events, eventCount };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const { frame, events, eventCount } = generate(N);
const engine = compileRules(rules);
const repeats = 7;
const batchMs: number[] = [];
const batchCpuMs: number[] = [];
let checksum = 0;
for (let k = 0; k < repeats + 1; k++) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const scores = engine.scoreFrame(frame, events, ASOF);
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  // The first run warms up the JIT. CPU time is kept too: on a busy machine it varies less than wall time.
  if (k > 0) {
    batchMs.push(ms);
    batchCpuMs.push((cpu.user + cpu.system) / 1000);
  }
  checksum = scores.total.reduce((a, b) => a + b, 0);
}
const breakdownMs: number[] = [];
for (let k = 0; k < 3; k++) {
  const t0 = performance.now();
  engine.scoreFrame(frame, events, ASOF, { breakdown: true });
  breakdownMs.push(performance.now() - t0);
}
const rows = Array.from({ length: Math.min(N, 20_000) }, (_, i) => frameRow(frame, i));
const onlineMs: number[] = [];
for (let k = 0; k < 4; k++) {
  const t0 = performance.now();
  for (let i = 0; i < rows.length; i++) engine.score(rows[i]!, events[i]!, ASOF);
  if (k > 0) onlineMs.push(performance.now() - t0);
}
const ms = median(batchMs);
const tiers = engine.scoreFrame(frame, events, ASOF).tier;
const tierCounts = Object.fromEntries(engine.tierNames.map((name, t) => [name, tiers.filter((x) => x === t).length]));
console.log(
  `rules: ${rules.rules.length}, leads: ${N}, events: ${eventCount}, batch median ${ms.toFixed(1)} ms, with breakdown ${median(breakdownMs).toFixed(1)} ms`,
);
console.log(
  JSON.stringify({
    bench: 'rules',
    rules: rules.rules.length,
    leads: N,
    events: eventCount,
    batchMs: Number(ms.toFixed(2)),
    leadsPerSecond: Math.round(N / (ms / 1000)),
    batchCpuMs: Number(median(batchCpuMs).toFixed(2)),
    leadsPerCpuSecond: Math.round(N / (median(batchCpuMs) / 1000)),
    breakdownLeadsPerSecond: Math.round(N / (median(breakdownMs) / 1000)),
    onlineLeadsPerSecond: Math.round(rows.length / (median(onlineMs) / 1000)),
    meanTotal: Number((checksum / N).toFixed(3)),
    tiers: tierCounts,
  }),
);
