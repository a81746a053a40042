import Table from 'cli-table3';
import type { RunTune } from './run-tune.ts';

const plain = { style: { head: [], border: [], compact: true } };
const pct = (x: number | null) => (x === null ? '-' : `${(100 * x).toFixed(1)} %`);
const STATUS = {
  fitted: '',
  'never-fires': 'never fires in training: kept',
  'sign-disagrees': 'the deals point the other way: 0',
} as const;

/** The `leadscore rules tune` text: the rules with old and new points, then the three scorers on the held-out rows. */
export function formatTune(r: RunTune): string {
  const rules = new Table({
    ...plain,
    head: ['rule', 'old points', 'new points', 'fires', 'converts when fired', ''],
    colAligns: ['left', 'right', 'right', 'right', 'right', 'left'],
  });
  for (const t of r.table)
    rules.push([
      t.id,
      String(t.oldPoints),
      String(t.newPoints),
      pct(t.fires),
      pct(t.conversionWhenFires),
      STATUS[t.status],
    ]);
  const tiers = r.rules.tiers
    .map((t, k) => `${t.name}${t.atLeast === undefined ? '' : ` >= ${t.atLeast}`} (${pct(r.tierShares[k] ?? 0)})`)
    .join(', ');
  const held = new Table({
    ...plain,
    head: ['on held-out rows', 'ROC AUC', 'lift, top 10 %', 'conversion by tier, best first'],
    colAligns: ['left', 'right', 'right', 'left'],
  });
  for (const f of r.heldOut.figures) {
    held.push([
      f.scorer,
      f.auc.toFixed(3),
      f.liftTop10.toFixed(2),
      f.tiers.map((t) => `${t.tier} ${pct(t.conversionRate)} of ${t.leads}`).join(', '),
    ]);
  }
  return [
    `Rules tuned on ${r.trainRows} closed leads:`,
    rules.toString(),
    `Tiers re-cut to keep their shares of the training leads: ${tiers}`,
    `Judged on ${r.heldOut.rows} held-out leads (${r.heldOut.label}):`,
    held.toString(),
    `tuned rules written to ${r.out}`,
    '',
  ].join('\n');
}
