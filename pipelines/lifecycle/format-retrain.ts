import Table from 'cli-table3';
import type { ModelRulesComparison } from '../../training/index.ts';
import type { Retrain } from './run-retrain.ts';

const plain = { style: { head: [], border: [], compact: true } };

/** The `leadscore retrain` text: champion, challenger and rules on the same held-out leads, the winner, and what happened. */
export function formatRetrain(r: Retrain): string {
  const lines = [
    `retrain of ${r.dataset}: challenger ${r.challenger.version} trained on ${r.challenger.trainRows} leads (${r.challenger.train.from} - ${r.challenger.train.to})`,
    `judged on the ${r.heldOut.label}`,
  ];
  const c = r.comparison;
  const champ = r.championComparison;
  const columns: [string, ModelRulesComparison['model'] | ModelRulesComparison['rules']][] = [[`challenger`, c.model]];
  if (champ && r.champion) columns.unshift([`champion ${r.champion.version}`, champ.model]);
  if (c.rules) columns.push(['rules', c.rules]);
  const table = new Table({ ...plain, head: ['', ...columns.map(([name]) => name)] });
  const row = (
    name: string,
    pick: (m: NonNullable<(typeof columns)[number][1]>) => number | undefined,
    digits: number,
  ) => table.push([name, ...columns.map(([, m]) => (m && pick(m) !== undefined ? pick(m)!.toFixed(digits) : '-'))]);
  row('ROC AUC', (m) => m.auc, 3);
  row('PR AUC', (m) => m.prAuc, 3);
  row('lift, top 10 %', (m) => m.liftTop10, 2);
  row('Brier score', (m) => ('brier' in m ? m.brier : undefined), 4);
  row('calibration error', (m) => ('ece' in m ? m.ece : undefined), 4);
  lines.push(table.toString());
  if (champ && r.champion) {
    const d = c.model.auc - champ.model.auc;
    lines.push(
      `${r.winner === 'challenger' ? 'the challenger wins' : 'the champion stays ahead'}: AUC ${d >= 0 ? '+' : ''}${d.toFixed(4)} against ${r.champion.version}`,
    );
  } else lines.push('no production model yet: the challenger wins by default');
  const keeps = r.champion ? `; ${r.champion.version} stays in production` : '';
  if (r.promotion && r.forcedOver.length)
    lines.push(
      `promoted ${r.promotion.version} to production with --force (was ${r.promotion.previous ?? 'none'}), although ${r.forcedOver.join('; and ')}`,
    );
  else if (r.promotion)
    lines.push(`promoted ${r.promotion.version} to production (was ${r.promotion.previous ?? 'none'}): ${evidence(r)}`);
  else if (!r.decision.promote)
    lines.push(`not promoted: ${r.decision.reasons.join('; and ')}${keeps} (--promote --force to promote anyway)`);
  else
    lines.push(
      `not promoted (run with --promote, or: leadscore models promote ${r.challenger.version}): ${evidence(r)}`,
    );
  lines.push(`challenger written to ${r.challenger.dir}${r.report ? `; report ${r.report}` : ''}`);
  return `${lines.join('\n')}\n`;
}

/** What allowed the promotion, in figures. */
function evidence(r: Retrain): string {
  const parts: string[] = [];
  const d = r.decision.versusChampion;
  if (d)
    parts.push(
      `beats ${r.champion?.version ?? 'the champion'} by AUC ${d.estimate >= 0 ? '+' : ''}${d.estimate.toFixed(3)} (${Math.round(d.level * 100)} % interval ${d.low.toFixed(3)} to ${d.high.toFixed(3)})`,
    );
  else parts.push('no production model yet');
  const v = r.decision.versusRules;
  if (v) parts.push(`ranks no worse than the rules (AUC ${v.challenger.toFixed(3)} vs ${v.rules.toFixed(3)})`);
  return parts.join(', ');
}
