import type { Command } from 'commander';
import { parseOption } from '../parse-option.ts';

interface FromModelOpts {
  model: string;
  out: string;
  csv?: string;
  points: string;
  bins: string;
  data?: string;
  json?: boolean;
  skipBadRows?: boolean;
}

/** `leadscore rules from-model`: a points sheet a person can read, made from a model. */
export function registerRulesFromModel(rules: Command): void {
  rules
    .command('from-model')
    .description(
      'Make a points sheet (rules file and CSV) from a model: integer points per attribute value or range, total 0 to --points, tiers like the model',
    )
    .requiredOption('--model <dir>', 'model artifact directory')
    .requiredOption('--out <file>', 'where to write the sheet as a rules file (YAML)')
    .option(
      '--csv <file>',
      'where to write the sheet as CSV: rule, column, condition, points (default: --out with .csv)',
    )
    .option('--points <n>', 'points of the best possible lead', '100')
    .option('--bins <n>', 'most bins per numeric attribute', '6')
    .option(
      '--data <file>',
      "judge the sheet against the model on every row of this labelled file (default: the model's held-out rows)",
    )
    .option('--json', 'print one JSON object')
    .option('--skip-bad-rows', 'skip malformed rows and report them instead of failing')
    .action(async (opts: FromModelOpts) => {
      const [{ z }, { runFromModel }, { formatFromModel }, { reportSkipped }] = await Promise.all([
        import('zod'),
        import('../../rules/run-from-model.ts'),
        import('../../rules/format-from-model.ts'),
        import('../report-skipped.ts'),
      ]);
      const points = parseOption(z.coerce.number().int().min(10).max(100_000), opts.points, '--points');
      const bins = parseOption(z.coerce.number().int().min(2).max(20), opts.bins, '--bins');
      const result = await runFromModel(opts.model, {
        out: opts.out,
        csv: opts.csv,
        points,
        bins,
        data: opts.data,
        skipBadRows: opts.skipBadRows,
      });
      const { skipped, ...summary } = result;
      reportSkipped(skipped);
      process.stdout.write(opts.json ? `${JSON.stringify(summary)}\n` : formatFromModel(result));
    });
}
