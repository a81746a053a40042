import type { Command } from 'commander';

interface TuneOptions {
  config: string;
  data?: string;
  test?: string;
  model?: string;
  out: string;
  json?: boolean;
  skipBadRows?: boolean;
  quiet?: boolean;
}

/** `leadscore rules tune`: new points for the config's rules file, learned from closed deals. */
export function registerRulesTune(rules: Command): void {
  rules
    .command('tune')
    .description(
      "Re-weight the points of the config's rules file on closed deals: same rules, caps and tiers, new integer points and tier thresholds",
    )
    .requiredOption('--config <file>', 'dataset config (YAML or JSON) naming the rules file (rules:)')
    .option('--data <file>', "fit on this labelled leads file instead of the config's")
    .option(
      '--test <file>',
      "judge on every row of this labelled file (default: the held-out rows of the config's split)",
    )
    .option('--model <dir>', 'model to compare with (default: one fitted as the config says on the same training rows)')
    .requiredOption('--out <file>', 'where to write the tuned rules file (YAML)')
    .option('--json', 'print one JSON object')
    .option('--skip-bad-rows', 'skip malformed rows and report them instead of failing')
    .option('--quiet', 'no progress on stderr')
    .action(async (opts: TuneOptions) => {
      const [{ loadDatasetConfig }, { runTune }, { formatTune }, { reportSkipped }, { withPhases }] = await Promise.all(
        [
          import('../../config/load-config.ts'),
          import('../../rules/run-tune.ts'),
          import('../../rules/format-tune.ts'),
          import('../report-skipped.ts'),
          import('../progress.ts'),
        ],
      );
      const loaded = await loadDatasetConfig(opts.config);
      const result = await withPhases(opts.quiet, (phases) => runTune(loaded, { ...opts, phases }));
      const { skipped, warnings, ...summary } = result;
      reportSkipped(skipped, warnings);
      process.stdout.write(opts.json ? `${JSON.stringify(summary)}\n` : formatTune(result));
    });
}
