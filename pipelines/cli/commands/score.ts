import type { Command } from 'commander';
import { z } from 'zod';
import { parseOption } from '../parse-option.ts';

/** `leadscore score`: batch scoring of a leads file with a model version. */
export function registerScore(program: Command): void {
  program
    .command('score')
    .description('Score a leads file: probability, score 0-100, tier, rule score and tier, top three reasons')
    .requiredOption('--model <dir>', 'model artifact directory')
    .requiredOption('--input <file>', 'leads file (same schema as the training data; no label needed)')
    .requiredOption('--output <file>', 'output file: .csv, .parquet or .jsonl')
    .option('--skip-bad-rows', 'skip malformed rows and report them instead of failing')
    .option('--chunk <rows>', 'leads scored at a time (memory grows with it, not with the input)', '50000')
    .option('--quiet', 'no progress on stderr')
    .option(
      '--allow-unknown-rule-columns',
      "score even when the model's rules name columns or event types the data lacks (refused by default: such rules never fire)",
    )
    .action(
      async (opts: {
        model: string;
        input: string;
        output: string;
        skipBadRows?: boolean;
        chunk: string;
        quiet?: boolean;
        allowUnknownRuleColumns?: boolean;
      }) => {
        const [{ loadModelDir }, { runScore }, { reportSkipped }, { phaseProgress }, { assertNotAnInput }] =
          await Promise.all([
            import('../../evaluate/load-model.ts'),
            import('../../score/run-score.ts'),
            import('../report-skipped.ts'),
            import('../progress.ts'),
            import('../../io/output-path.ts'),
          ]);
        const chunkRows = parseOption(z.coerce.number().int().positive().max(10_000_000), opts.chunk, '--chunk');
        assertNotAnInput(opts.output, [opts.input]);
        const m = await loadModelDir(opts.model);
        const phases = phaseProgress({ quiet: opts.quiet });
        try {
          const { config } = m.loaded;
          assertNotAnInput(opts.output, [config.events?.path, config.outcomes?.path, config.rules]);
          const r = await runScore(m, {
            input: opts.input,
            output: opts.output,
            skipBadRows: opts.skipBadRows,
            chunkRows,
            phases,
            allowUnknownRuleColumns: opts.allowUnknownRuleColumns,
          });
          phases.stop();
          reportSkipped(r.skipped, r.warnings);
          // Leads without events are counted, never silently scored as if they had been quiet.
          const without =
            r.withoutEvents === undefined ? '' : `; ${r.withoutEvents} without an event before their scoring time`;
          process.stdout.write(`scored ${r.rows} leads with ${m.model.version}${without}\n`);
          if (r.withoutEvents !== undefined && r.rows >= 100 && r.withoutEvents > 0.99 * r.rows) {
            process.stderr.write(
              `leadscore: ${r.rows - r.withoutEvents} of ${r.rows} leads have events before their scoring time: is the events file the one for these leads?\n`,
            );
          }
          process.stdout.write(`${opts.output}\n`);
        } finally {
          phases.stop();
          m.model.dispose();
        }
      },
    );
}
