import type { Command } from 'commander';

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
    .action(async (opts: Record<string, unknown>) => {
      const [{ writeReportFile }, { loadReportData, parseReportSourceOptions }, { reportSkipped }] = await Promise.all([
        import('../../report/report-files.ts'),
        import('../../report/report-source.ts'),
        import('../report-skipped.ts'),
      ]);
      const source = parseReportSourceOptions({
        model: opts.model,
        data: opts.data,
        reportData: opts.reportData,
        skipBadRows: opts.skipBadRows === true,
      });
      // The charting libraries take a second to import: loaded only once the options are valid.
      const { renderReport } = await import('../../report/render-report.ts');
      const { data, skipped } = await loadReportData(source);
      reportSkipped(skipped);
      const html = await renderReport(data);
      const out = String(opts.out);
      await writeReportFile(out, html);
      process.stdout.write(`${out}\n`);
    });
}
