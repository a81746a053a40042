import type { Command } from 'commander';
import { chunkOption, parseChunkRows } from '../parse-option.ts';

/** `leadscore report`: the model-vs-rules report as one self-contained HTML file. */
export function registerReport(program: Command): void {
  program
    .command('report')
    .description('Write the model-vs-rules report: one HTML file with charts, opens offline')
    .option('--model <dir>', 'model artifact directory')
    .option('--data <file>', "score this file instead of the model's held-out rows (same schema)")
    .option('--skip-bad-rows', 'skip malformed rows and report them instead of failing')
    .option('--report-data <file>', 'render from a ReportData JSON file instead of a model')
    .requiredOption('--out <file>', 'HTML file to write')
    .option(chunkOption.flags, chunkOption.description, chunkOption.default)
    .option('--quiet', 'no progress on stderr')
    .action(async (opts: Record<string, unknown>) => {
      const [{ writeReportFile }, { loadReportData, parseReportSourceOptions }, { reportSkipped }, { phaseProgress }] =
        await Promise.all([
          import('../../report/report-files.ts'),
          import('../../report/report-source.ts'),
          import('../report-skipped.ts'),
          import('../progress.ts'),
        ]);
      const source = parseReportSourceOptions({
        model: opts.model,
        data: opts.data,
        reportData: opts.reportData,
        skipBadRows: opts.skipBadRows === true,
      });
      const chunkRows = await parseChunkRows(String(opts.chunk));
      const phases = phaseProgress({ quiet: opts.quiet === true });
      try {
        // The charting libraries take a second to import: loaded only once the options are valid.
        const { renderReport } = await import('../../report/render-report.ts');
        const { data, skipped, warnings } = await loadReportData(source, { chunkRows, phases });
        phases.phase('writing');
        const html = await renderReport(data);
        const out = String(opts.out);
        await writeReportFile(out, html);
        phases.stop();
        reportSkipped(skipped, warnings);
        process.stdout.write(`${out}\n`);
      } finally {
        phases.stop();
      }
    });
}
