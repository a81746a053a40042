import type { Command } from 'commander';

/** `leadscore score`: batch scoring of a leads file with a model version. */
export function registerScore(program: Command): void {
  program
    .command('score')
    .description('Score a leads file: probability, score 0-100, tier, rule score and tier, top three reasons')
    .requiredOption('--model <dir>', 'model artifact directory')
    .requiredOption('--input <file>', 'leads file (same schema as the training data; no label needed)')
    .requiredOption('--output <file>', 'output file: .csv, .parquet or .jsonl')
    .option('--skip-bad-rows', 'skip malformed rows and report them instead of failing')
    .action(async (opts: { model: string; input: string; output: string; skipBadRows?: boolean }) => {
      const [{ loadModelDir }, { runScore }, { reportSkipped }] = await Promise.all([
        import('../../evaluate/load-model.ts'),
        import('../../score/run-score.ts'),
        import('../report-skipped.ts'),
      ]);
      const m = await loadModelDir(opts.model);
      try {
        const r = await runScore(m, { input: opts.input, output: opts.output, skipBadRows: opts.skipBadRows });
        reportSkipped(r.skipped, r.warnings);
        process.stdout.write(`scored ${r.rows} leads with ${m.model.version}\n${opts.output}\n`);
      } finally {
        m.model.dispose();
      }
    });
}
