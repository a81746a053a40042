import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { seededRandom } from '../../../training/random.ts';

/**
 * A small labelled lead file and its dataset config. `shift` moves spend up and turns the
 * channel mix toward events, so a copy made with shift 1 has drifted and one with 0 has not.
 */
export function writeLeads(dir: string, name: string, rows: number, seed: number, shift = 0): string {
  const random = seededRandom(seed);
  const lines = ['id,spend,visits,channel,plan,converted'];
  for (let i = 0; i < rows; i++) {
    const spend = Math.round(100 + 40 * (random() + random() + random() - 1.5) + 60 * shift);
    const visits = Math.floor(random() * 12);
    const u = random();
    const channel = u < 0.6 - 0.45 * shift ? 'web' : u < 0.9 ? 'referral' : 'event';
    const plan = random() < 0.5 ? 'basic' : 'pro';
    const logit = -1 + 0.02 * (spend - 100) + 0.15 * visits + (channel === 'referral' ? 0.8 : 0);
    lines.push(`${name}-${i},${spend},${visits},${channel},${plan},${random() < 1 / (1 + Math.exp(-logit)) ? 1 : 0}`);
  }
  const file = path.join(dir, `${name}.csv`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/** A dataset config for files written by `writeLeads`. */
export function writeConfig(dir: string, leads: string): string {
  const file = path.join(dir, 'leads.yaml');
  writeFileSync(
    file,
    [
      'name: drift-demo',
      `leads: { path: ${JSON.stringify(leads)} }`,
      'idColumn: id',
      'label: { column: converted, positive: ["1"] }',
      'columns: { spend: numeric, visits: numeric, channel: categorical, plan: categorical }',
      'training: { calibration: none, evaluation: { bootstrapResamples: 100 } }',
      '',
    ].join('\n'),
  );
  return file;
}
