import { writeFileSync } from 'node:fs';
import path from 'node:path';

/** A seeded linear congruential generator: the same seed, the same leads. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const titles = ['VP Sales', 'Marketing Manager', 'Intern', 'CTO', 'Analyst'];
const titleEffect = [1.2, 0.6, -1.5, 1.0, 0];
const countries = ['US', 'DE', 'IN', 'BR'];

/**
 * Writes a small leads CSV whose conversion follows a known logistic propensity (title,
 * visits, opted in), a rules file that scores the same signals by hand, and a dataset
 * config for both. Returns the config's path.
 */
export function writeSyntheticLeads(
  dir: string,
  options: { rows?: number; seed?: number; positivesCap?: number } = {},
): string {
  const rows = options.rows ?? 3000;
  const rand = lcg(options.seed ?? 7);
  const lines = ['lead_id,title,visits,country,opted_in,converted'];
  let positives = 0;
  for (let i = 0; i < rows; i++) {
    const t = Math.floor(rand() * titles.length);
    const visits = Math.floor(-Math.log(1 - rand()) * 6);
    const opted = rand() < 0.5;
    const country = countries[Math.floor(rand() * countries.length)]!;
    const z = -2 + titleEffect[t]! + 0.25 * Math.min(visits, 12) + (opted ? 0.8 : 0);
    let y = rand() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
    if (options.positivesCap !== undefined && y && positives >= options.positivesCap) y = 0;
    positives += y;
    lines.push(`L${i},${titles[t]},${rand() < 0.03 ? '' : visits},${country},${opted ? 'yes' : 'no'},${y}`);
  }
  writeFileSync(path.join(dir, 'leads.csv'), `${lines.join('\n')}\n`);
  writeFileSync(
    path.join(dir, 'rules.yaml'),
    `name: test rules
tiers:
  - { name: hot, atLeast: 30 }
  - { name: warm, atLeast: 15 }
  - { name: cold }
rules:
  - { id: senior, column: title, oneOf: [VP Sales, CTO], points: 20 }
  - { id: intern, column: title, equals: Intern, points: -10 }
  - { id: engaged, column: visits, range: { atLeast: 5 }, points: 10, score: engagement }
`,
  );
  const config = path.join(dir, 'leads.yaml');
  writeFileSync(
    config,
    `name: synthetic-test
leads: { path: leads.csv }
idColumn: lead_id
label: { column: converted, positive: [1] }
rules: rules.yaml
training:
  seed: 7
  evaluation: { bootstrapResamples: 200 }
`,
  );
  return config;
}
