import Table from 'cli-table3';
import type { Spread } from '../../training/index.ts';
import type { Backtest, FoldSide } from './run-backtest.ts';

const plain = { style: { head: [], border: [], compact: true } };

/** The `leadscore backtest` and `cross-validate` text: one row per fold, then the spread of each metric over the folds. */
export function formatBacktest(b: Backtest): string {
  const folds = new Table({
    ...plain,
    head: [
      'fold',
      'trained on',
      'tested on',
      'rows',
      'conv.',
      'model AUC',
      'rules AUC',
      'model lift@10%',
      'rules lift@10%',
      'model tiers',
      'rule tiers',
    ],
  });
  for (const f of b.folds) {
    folds.push([
      String(f.fold),
      f.train ? `${f.trainRows} (${f.train.from} - ${f.train.to})` : String(f.trainRows),
      f.test ? `${f.test.from} - ${f.test.to}` : '-',
      String(f.testRows),
      pct(f.positiveRate),
      f.model.auc < 0.5 ? `${f.model.auc.toFixed(3)} !` : f.model.auc.toFixed(3),
      f.rules ? f.rules.auc.toFixed(3) : '-',
      f.model.liftTop10.toFixed(2),
      f.rules ? f.rules.liftTop10.toFixed(2) : '-',
      tiers(f.model),
      f.rules ? tiers(f.rules) : '-',
    ]);
  }
  const summary = new Table({ ...plain, head: ['over folds', 'mean', 'sd', 'min', 'max'] });
  const row = (name: string, s: Spread, digits: number) =>
    summary.push([name, ...[s.mean, s.sd, s.min, s.max].map((x) => x.toFixed(digits))]);
  row('model AUC', b.spread.model.auc, 3);
  if (b.spread.rules) row('rules AUC', b.spread.rules.auc, 3);
  row('model lift@10%', b.spread.model.liftTop10, 2);
  if (b.spread.rules) row('rules lift@10%', b.spread.rules.liftTop10, 2);
  const head =
    b.scheme === 'k-fold'
      ? `cross-validation of ${b.dataset}: ${b.folds.length} stratified folds on ${b.source}`
      : `backtest of ${b.dataset}: ${b.folds.length} rolling-origin folds (${b.window} window, rows ordered by ${b.orderedBy}) on ${b.source}`;
  const wins = b.spread.rules ? `\nthe model's AUC beat the rules' in ${b.modelWins} of ${b.folds.length} folds` : '';
  const worse = b.folds.filter((f) => f.model.auc < 0.5);
  const flagged = worse.length
    ? `\n! the model ranked worse than chance (AUC below 0.5) in fold${worse.length > 1 ? 's' : ''} ${worse.map((f) => f.fold).join(', ')}: on those leads its order is upside down`
    : '';
  return `${head}\n${folds.toString()}\n${summary.toString()}${wins}${flagged}\n`;
}

/** Conversion rate per tier, best first: `hot 41% / warm 18% / cold 4%`. */
function tiers(s: FoldSide): string {
  return s.tiers.map((t) => `${t.tier} ${t.conversionRate === null ? '-' : pct(t.conversionRate)}`).join(' / ');
}

function pct(x: number): string {
  return `${(x * 100).toFixed(0)}%`;
}
