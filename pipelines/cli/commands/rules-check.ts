import type { Command } from 'commander';
import { InputError } from '../../../features/errors.ts';
import type { RulesCheckSummary } from '../../rules/format-rules-check.ts';
import { parseAsOf } from './rules-score.ts';

interface CheckOptions {
  json?: boolean;
  strict?: boolean;
  asOf?: string;
  config?: string;
  data?: string;
}

/** `leadscore rules check FILE [--config DATASET]`: validates a rules file and prints what it scores. */
export function registerRulesCheck(rules: Command): void {
  rules
    .command('check')
    .description('Validate a rules file (YAML or JSON); an error names the rule and the field (exit 2)')
    .argument('<file>', 'rules file')
    .option(
      '--config <file>',
      'also try the rules on this dataset: how often each rule fires, tier sizes (and conversion when labelled), warnings for unknown columns and values',
    )
    .option('--data <file>', "with --config: read this leads file instead of the config's")
    .option(
      '--as-of <date>',
      "with --config: scoring time, ISO date or date-time (default: the config's asOf, else now)",
    )
    .option('--json', 'print the summary as one JSON object')
    .option('--strict', 'with --config: exit 2 when there are warnings (for CI)')
    .action(async (file: string, opts: CheckOptions) => {
      const [
        { compileRules },
        { lintRules },
        { loadDatasetConfig },
        { formatRulesCheck, summarizeRulesFile },
        { loadRulesFile },
        { ruleCoverage },
      ] = await Promise.all([
        import('../../../models/rules/compile-rules.ts'),
        import('../../../models/rules/lint-rules.ts'),
        import('../../config/load-config.ts'),
        import('../../rules/format-rules-check.ts'),
        import('../../rules/load-rules-file.ts'),
        import('../../rules/rule-coverage.ts'),
      ]);
      const parsed = await loadRulesFile(file);
      compileRules(parsed);
      const summary: Record<string, unknown> = summarizeRulesFile(parsed);
      if (opts.config) {
        const asOf = opts.asOf === undefined ? undefined : parseAsOf(opts.asOf);
        const coverage = await ruleCoverage(await loadDatasetConfig(opts.config), file, { data: opts.data, asOf });
        summary.leads = coverage.leads;
        summary.firing = coverage.firing;
        summary.tierCounts = coverage.tierCounts;
        if (coverage.labelled) summary.labelled = coverage.labelled;
        summary.warnings = [...lintRules(parsed, coverage.frame, coverage.eventTypes), ...coverage.warnings];
      }
      process.stdout.write(
        opts.json ? `${JSON.stringify(summary)}\n` : `${file}: ok\n${formatRulesCheck(summary as RulesCheckSummary)}\n`,
      );
      const warnings = (summary.warnings as string[] | undefined) ?? [];
      if (opts.strict && warnings.length > 0) {
        throw new InputError(
          `${file}: ${warnings.length} warning${warnings.length > 1 ? 's' : ''} (--strict): ${warnings[0]}`,
        );
      }
    });
}
