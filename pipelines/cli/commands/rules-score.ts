import type { Command } from 'commander';
import { InputError } from '../../../features/errors.ts';

interface ScoreOptions {
  config: string;
  data?: string;
  rules?: string;
  adjustments?: string;
  asOf?: string;
  output: string;
  skipBadRows?: boolean;
  allowUnknownRuleColumns?: boolean;
  quiet?: boolean;
}

/** `leadscore rules score`: scores a leads file with the config's rules file. */
export function registerRulesScore(rules: Command): void {
  rules
    .command('score')
    .description('Score leads with the rules file named in the dataset config (rules:)')
    .requiredOption('--config <file>', 'dataset config (YAML or JSON)')
    .option('--data <file>', "score this file instead of the config's leads file (same schema)")
    .option('--rules <file>', "rules file (default: the config's rules:)")
    .option('--adjustments <file>', 'manual adjustments: lead_id, points, reason[, at] (default: none)')
    .option('--as-of <date>', "scoring time, ISO date or date-time (default: the config's asOf, else now)")
    .requiredOption('--output <file>', 'output file: .csv, .tsv, .parquet or .jsonl')
    .option('--skip-bad-rows', 'skip malformed rows and report them instead of failing')
    .option('--quiet', 'no progress on stderr')
    .option(
      '--allow-unknown-rule-columns',
      'score even when rules name columns or event types the data lacks (refused by default: such rules never fire)',
    )
    .action(async (opts: ScoreOptions) => {
      const asOf = opts.asOf === undefined ? undefined : parseAsOf(opts.asOf);
      const [
        { loadDatasetConfig },
        { writeTable },
        { RULE_SCORE_COLUMNS, ruleScoreRows, scoreWithRules },
        { assertNotAnInput },
        { withPhases },
      ] = await Promise.all([
        import('../../config/load-config.ts'),
        import('../../io/write-table.ts'),
        import('../../rules/score-with-rules.ts'),
        import('../../io/output-path.ts'),
        import('../progress.ts'),
      ]);
      const loaded = await loadDatasetConfig(opts.config);
      const { config } = loaded;
      assertNotAnInput(opts.output, [
        opts.data ?? config.leads.path,
        config.events?.path,
        config.outcomes?.path,
        opts.rules ?? config.rules,
        opts.adjustments,
        opts.config,
      ]);
      const scoring = await withPhases(opts.quiet, async (phases) => {
        const scored = await scoreWithRules(loaded, { ...opts, asOf, phases });
        phases.phase('writing');
        await writeTable(opts.output, RULE_SCORE_COLUMNS, ruleScoreRows(scored));
        return scored;
      });
      const counts = scoring.engine.tierNames.map(
        (name, t) => `${name} ${scoring.scores.tier.filter((x) => x === t).length}`,
      );
      const skipped = scoring.skipped.length ? ` (${scoring.skipped.length} bad rows skipped)` : '';
      process.stdout.write(
        `scored ${scoring.frame.rowCount} leads${skipped} -> ${opts.output}: ${counts.join(', ')}\n`,
      );
    });
}

/** An ISO date (midnight UTC) or date-time from `--as-of`, as epoch ms. */
export function parseAsOf(text: string): number {
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
  if (!Number.isFinite(ms)) throw new InputError(`--as-of: expected an ISO date or date-time, got "${text}"`);
  return ms;
}
