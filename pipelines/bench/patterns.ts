/**
 * Rule pattern matching: RE2 (re2js, linear time, what rules use) against the RegExp the
 * rules used before, on ordinary patterns over generated values of the kinds rules read
 * (job titles, e-mail addresses, sources), in the same run; then the patterns that made
 * RegExp backtrack for minutes, on RE2, with RegExp's time on short values beside them.
 * Prints one JSON line last. Run: npm run bench:patterns [-- --values N]
 */
import { performance } from 'node:perf_hooks';
import { compilePattern, MAX_MATCHED_TEXT, type TextPattern } from '../../models/rules/safe-pattern.ts';
import { seededRandom } from '../../models/seeded-random.ts';

const valuesArg = process.argv.indexOf('--values');
const N = valuesArg > 0 ? Number(process.argv[valuesArg + 1]) : 200_000;
const ROUNDS = 5;

const ordinary = [
  '\\b(vp|director|head|chief|cto|ceo)\\b',
  '\\b(intern|student|assistant)\\b',
  '@(gmail|yahoo|hotmail)\\.com$',
  'manager',
  '^(dr|prof)\\.? ',
  '\\d{3,}',
  'sales|marketing|growth',
];

function values(n: number): string[] {
  const r = seededRandom(7);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const titles = [
    'VP Marketing',
    'Marketing intern',
    'Head of Growth',
    'Analyst',
    'CTO',
    'Sales assistant',
    'Senior Software Engineer',
    'Dr. Product Manager',
    'Chief Revenue Officer',
  ];
  const domains = ['gmail.com', 'acme.com', 'yahoo.com', 'corp.io', 'hotmail.com', 'example.org'];
  return Array.from({ length: n }, (_, i) => {
    const k = i % 3;
    if (k === 0) return `${pick(titles)}${r() < 0.2 ? ` ${Math.floor(r() * 10_000)}` : ''}`;
    if (k === 1) return `person${Math.floor(r() * 1e6)}@${pick(domains)}`;
    return pick(['referral', 'ads', 'organic search', 'trade show 2025', 'partner webinar']);
  });
}

/** Nanoseconds per test of `p` over `texts`, the median of ROUNDS passes, and the matches. */
function timeOf(p: TextPattern, texts: string[]): { ns: number; hits: number } {
  const runs: number[] = [];
  let hits = 0;
  for (let round = 0; round < ROUNDS; round++) {
    hits = 0;
    const t0 = performance.now();
    for (const t of texts) if (p.test(t.length > MAX_MATCHED_TEXT ? t.slice(0, MAX_MATCHED_TEXT) : t)) hits++;
    runs.push(((performance.now() - t0) * 1e6) / texts.length);
  }
  runs.sort((a, b) => a - b);
  return { ns: runs[ROUNDS >> 1]!, hits };
}

const texts = values(N);
console.log(`ordinary patterns over ${N} values (median of ${ROUNDS} passes), ns per test:`);
const rows = ordinary.map((pattern) => {
  const re2 = timeOf(compilePattern(pattern), texts);
  const js = timeOf(new RegExp(pattern, 'i'), texts);
  if (re2.hits !== js.hits) throw new Error(`${pattern}: RE2 matched ${re2.hits} values, RegExp ${js.hits}`);
  console.log(
    `  ${pattern.padEnd(40)} RE2 ${re2.ns.toFixed(0).padStart(6)}  RegExp ${js.ns.toFixed(0).padStart(6)}  x${(re2.ns / js.ns).toFixed(1)}  (${re2.hits} matches)`,
  );
  return { pattern, re2Ns: Math.round(re2.ns), regexpNs: Math.round(js.ns), matches: re2.hits };
});
const totalRe2 = rows.reduce((s, r) => s + r.re2Ns, 0);
const totalJs = rows.reduce((s, r) => s + r.regexpNs, 0);
console.log(
  `  all ordinary patterns: RE2 ${totalRe2} ns, RegExp ${totalJs} ns per value (x${(totalRe2 / totalJs).toFixed(1)})`,
);

// The patterns that passed the old checks and then hung, on a value of 27 characters (as
// in the report) and on the longest text a rule searches.
const hostile = ['(a|a)*$', '(\\w|\\d)*!', '\\w*\\w*\\w*\\w*\\w*\\w*\\w*!', '(a|aa)+$'];
const evil = (n: number) => `${'a'.repeat(n - 1)}b`;
console.log('backtracking patterns, ms per test on RE2 (27 and 2000 characters), and on RegExp:');
const hostileRows = hostile.map((pattern) => {
  const p = compilePattern(pattern);
  const ms = (n: number, q: TextPattern) => {
    const text = evil(n);
    const t0 = performance.now();
    q.test(text);
    return performance.now() - t0;
  };
  const re2Short = ms(27, p);
  const re2Long = ms(MAX_MATCHED_TEXT, p);
  // RegExp's cost doubles or worse per character: measured on short values only.
  const js = new RegExp(pattern, 'i');
  const regexpAt: Record<string, number> = {};
  for (const n of [12, 16, 20]) regexpAt[n] = Number(ms(n, js).toFixed(2));
  console.log(
    `  ${pattern.padEnd(28)} RE2 ${re2Short.toFixed(2)} ms / ${re2Long.toFixed(2)} ms   RegExp at 12, 16, 20 chars: ${Object.values(regexpAt).join(', ')} ms`,
  );
  return {
    pattern,
    re2Ms27: Number(re2Short.toFixed(3)),
    re2Ms2000: Number(re2Long.toFixed(3)),
    regexpMsByLength: regexpAt,
  };
});

console.log(
  JSON.stringify({
    bench: 'patterns',
    values: N,
    ordinary: rows,
    re2NsPerValue: totalRe2,
    regexpNsPerValue: totalJs,
    hostile: hostileRows,
  }),
);
