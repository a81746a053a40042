import Table from 'cli-table3';
import type { FromModel } from './run-from-model.ts';

const plain = { style: { head: [], border: [], compact: true } };

/** The `leadscore rules from-model` text: the sheet, its tiers, and what rounding and binning cost in ranking. */
export function formatFromModel(r: FromModel): string {
  const sheet = new Table({ ...plain, head: ['rule', 'condition', 'points'], colAligns: ['left', 'left', 'right'] });
  for (const l of r.lines) sheet.push([l.rule, l.condition, String(l.points)]);
  const j = r.judged;
  const lines = [
    `Points sheet, ${r.rules} rules:`,
    sheet.toString(),
    `Tiers: ${r.tiers.map((t) => (t.atLeast === null ? t.name : `${t.name} >= ${t.atLeast}`)).join(', ')}`,
  ];
  if (r.leftOut.length) {
    lines.push(
      `Not in the sheet (no points rule can say them; the bins that are were fitted to the model's log-odds to carry their effect): ${r.leftOut.map((l) => `${l.column} (${(100 * l.share).toFixed(1)} % of the model's effect)`).join(', ')}`,
    );
  }
  lines.push(
    `On ${j.rows} held-out leads (${j.label}): ROC AUC model ${j.aucModel.toFixed(3)}, binned ${j.aucBinned.toFixed(3)}, points sheet ${j.aucSheet.toFixed(3)}`,
    `Rounding and binning cost ${j.cost.toFixed(3)} AUC against the model (binning ${(j.aucModel - j.aucBinned).toFixed(3)}, rounding ${(j.aucBinned - j.aucSheet).toFixed(3)}).`,
    `written ${r.out} and ${r.csv}`,
    '',
  );
  return lines.join('\n');
}
