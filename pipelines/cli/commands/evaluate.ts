import type { Command } from 'commander';
import { chunkOption, parseChunkRows } from '../parse-option.ts';

/** `leadscore evaluate`: the model and its rules on the same labelled leads. */
export function registerEvaluate(program: Command): void {
  program
    .command('evaluate')
    .description('Evaluate a model version and its rules on the same labelled leads')
    .requiredOption('--model <dir>', 'model artifact directory')
    .option('--data <file>', 'evaluate on every row of this file (default: the held-out rows of the training data)')
    .option('--json', 'print one JSON object as the last line')
    .option('--skip-bad-rows', 'skip malformed rows and report them instead of failing')
    .option(chunkOption.flags, chunkOption.description, chunkOption.default)
    .option('--quiet', 'no progress on stderr')
    .action(
      async (opts: {
        model: string;
        data?: string;
        json?: boolean;
        skipBadRows?: boolean;
        chunk: string;
        quiet?: boolean;
      }) => {
        const [
          { formatComparison },
          { chanceStatement },
          { loadModelDir },
          { runEvaluate },
          { reportSkipped },
          { phaseProgress },
        ] = await Promise.all([
          import('../../../training/format-comparison.ts'),
          import('../../../training/chance.ts'),
          import('../../evaluate/load-model.ts'),
          import('../../evaluate/run-evaluate.ts'),
          import('../report-skipped.ts'),
          import('../progress.ts'),
        ]);
        const chunkRows = await parseChunkRows(opts.chunk);
        const m = await loadModelDir(opts.model);
        const phases = phaseProgress({ quiet: opts.quiet });
        try {
          const e = await runEvaluate(m, { data: opts.data, skipBadRows: opts.skipBadRows, chunkRows, phases });
          phases.stop();
          reportSkipped(e.skipped, e.warnings);
          if (opts.json) {
            process.stdout.write(
              `${JSON.stringify({ version: e.version, source: e.source, rowsUsed: e.rowsUsed, ...e.comparison })}\n`,
            );
          } else {
            const chance = chanceStatement(e.comparison.modelAuc);
            process.stdout.write(
              `${chance ? `${chance}\n` : ''}model ${e.version} on ${e.rowsUsed} rows of ${e.source}\n${formatComparison(e.comparison, { chance: false })}\n`,
            );
          }
        } finally {
          phases.stop();
          m.model.dispose();
        }
      },
    );
}
