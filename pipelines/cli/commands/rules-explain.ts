import type { Command } from 'commander';
import { InputError } from '../../../features/errors.ts';
import { parseAsOf } from './rules-score.ts';

interface ExplainOptions {
  config: string;
  lead: string;
  data?: string;
  rules?: string;
  adjustments?: string;
  asOf?: string;
  json?: boolean;
}

/** `leadscore rules explain --config FILE --lead ID`: one lead's rule score, line by line. */
export function registerRulesExplain(rules: Command): void {
  rules
    .command('explain')
    .description('Show how the rules scored one lead: every rule that fired, caps, decay, manual points')
    .requiredOption('--config <file>', 'dataset config (YAML or JSON)')
    .requiredOption('--lead <id>', 'lead id')
    .option('--data <file>', "read this leads file instead of the config's (same schema)")
    .option('--rules <file>', "rules file (default: the config's rules:)")
    .option('--adjustments <file>', 'manual adjustments: lead_id, points, reason[, at] (default: none)')
    .option('--as-of <date>', "scoring time, ISO date or date-time (default: the config's asOf, else now)")
    .option('--json', 'print one JSON object')
    .action(async (opts: ExplainOptions) => {
      const asOf = opts.asOf === undefined ? undefined : parseAsOf(opts.asOf);
      const [{ loadDatasetConfig }, { scoreWithRules }] = await Promise.all([
        import('../../config/load-config.ts'),
        import('../../rules/score-with-rules.ts'),
      ]);
      const scoring = await scoreWithRules(await loadDatasetConfig(opts.config), { ...opts, asOf, skipBadRows: true });
      const i = scoring.frame.ids.indexOf(opts.lead);
      if (i < 0) throw new InputError(`--lead: no lead "${opts.lead}" in ${scoring.frame.source}`);
      const { scores, engine } = scoring;
      const result = {
        lead: opts.lead,
        fit: scores.fit[i]!,
        engagement: scores.engagement[i]!,
        total: scores.total[i]!,
        tier: engine.tierNames[scores.tier[i]!]!,
        fired: scores.fired?.[i] ?? [],
      };
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(result)}\n`);
        return;
      }
      const num = (x: number) => `${x >= 0 ? '+' : ''}${Math.round(x * 100) / 100}`;
      const width = Math.max(20, ...result.fired.map((f) => f.rule.length));
      const sum = (pick: (kind: string, rule: string) => boolean) =>
        result.fired.filter((f) => pick(f.kind, f.rule)).reduce((a, f) => a + f.points, 0);
      const parts = [`fit ${num(result.fit)}`, `engagement ${num(result.engagement)}`];
      if (result.fired.some((f) => f.kind === 'manual')) parts.push(`manual ${num(sum((kind) => kind === 'manual'))}`);
      if (result.fired.some((f) => f.rule === 'cap:total'))
        parts.push(`total cap ${num(sum((_, rule) => rule === 'cap:total'))}`);
      const lines = [
        `lead ${result.lead}: ${result.tier}, total ${num(result.total)} (${parts.join(', ')})`,
        ...result.fired.map((f) => `  ${f.rule.padEnd(width)} ${num(f.points).padStart(9)}  ${f.kind}`),
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
