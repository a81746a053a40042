import type { Command } from 'commander';
import { chunkOption, parseChunkRows, parseOption } from '../parse-option.ts';

/** `leadscore drift`: PSI of each column and of the score between a model's training data and new leads. */
export function registerDrift(program: Command): void {
  program
    .command('drift')
    .description(
      "Compare new leads with a model's training data: PSI per column and for the score; PSI above the threshold is flagged",
    )
    .requiredOption('--model <dir>', 'model artifact directory')
    .requiredOption('--data <file>', 'new leads (same schema as the training data; no label needed)')
    .option('--threshold <psi>', 'flag PSI above this', '0.2')
    .option('--json', 'print one JSON object')
    .option('--skip-bad-rows', 'skip malformed rows and report them instead of failing')
    .option(chunkOption.flags, chunkOption.description, chunkOption.default)
    .option('--quiet', 'no progress on stderr')
    .action(
      async (opts: {
        model: string;
        data: string;
        threshold: string;
        json?: boolean;
        skipBadRows?: boolean;
        chunk: string;
        quiet?: boolean;
      }) => {
        const [{ z }, { formatDrift }, { runDrift }, { reportSkipped }, { withPhases }] = await Promise.all([
          import('zod'),
          import('../../lifecycle/format-drift.ts'),
          import('../../lifecycle/run-drift.ts'),
          import('../report-skipped.ts'),
          import('../progress.ts'),
        ]);
        const threshold = parseOption(z.coerce.number().positive(), opts.threshold, '--threshold');
        const chunkRows = await parseChunkRows(opts.chunk);
        const run = await withPhases(opts.quiet, (phases) =>
          runDrift({
            model: opts.model,
            data: opts.data,
            threshold,
            skipBadRows: opts.skipBadRows,
            chunkRows,
            phases,
          }),
        );
        reportSkipped(run.skippedRows, run.warnings);
        const { skippedRows: _rows, warnings: _warnings, ...report } = run;
        process.stdout.write(opts.json ? `${JSON.stringify(report)}\n` : formatDrift(run));
      },
    );
}
