import type { Command } from 'commander';
import { InputError } from '../../../features/errors.ts';
import { formatZodError } from '../../../features/zod-error.ts';

/** `leadscore data synth`: writes a synthetic B2B funnel with a documented ground truth. */
export function registerDataSynth(data: Command): void {
  data
    .command('synth')
    .description(
      'Write a synthetic B2B funnel (leads, events, outcomes, truth) as Parquet, from a documented ground-truth propensity',
    )
    .requiredOption('--leads <n>', 'number of leads')
    .requiredOption('--out <dir>', 'output folder (created when absent)')
    .option('--seed <s>', 'random seed; the same seed writes the same data (default 1)')
    .option('--events-per-lead <n>', 'mean events per lead (default 20)')
    .option('--csv', 'also write CSV copies')
    .option('--force', 'write into --out even when it already holds files')
    .option('--json', 'print one JSON object')
    .action(async (raw: Record<string, unknown>) => {
      const [{ z }, { writeSyntheticFunnel }] = await Promise.all([
        import('zod'),
        import('../../synth/write-funnel.ts'),
      ]);
      const SynthOptions = z
        .object({
          leads: z.coerce.number().int().positive().max(50_000_000),
          out: z.string().min(1),
          seed: z.coerce.number().int().min(0).default(1),
          eventsPerLead: z.coerce.number().positive().max(1000).default(20),
          csv: z.boolean().default(false),
          force: z.boolean().default(false),
          json: z.boolean().default(false),
        })
        .strict();
      const parsed = SynthOptions.safeParse(raw);
      if (!parsed.success) {
        const flag = (path: PropertyKey[]) =>
          `--${String(path[0] ?? '').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: `;
        throw new InputError(`data synth: ${formatZodError(parsed.error, { value: raw, maxIssues: 1, where: flag })}`);
      }
      const opts = parsed.data;
      const { assertEmptyDir } = await import('../../io/output-path.ts');
      assertEmptyDir(opts.out, opts.force, '--out');
      const started = performance.now();
      const written = await writeSyntheticFunnel({
        leads: opts.leads,
        out: opts.out,
        seed: opts.seed,
        eventsPerLead: opts.eventsPerLead,
        csv: opts.csv,
      });
      const seconds = (performance.now() - started) / 1000;
      if (opts.json) process.stdout.write(`${JSON.stringify({ ...written, seconds })}\n`);
      else {
        process.stdout.write(
          `${written.leads} leads, ${written.events} events, ${written.won} won and ${written.lost} lost deals in ${seconds.toFixed(1)} s\n` +
            written.files.map((f) => `  ${f}\n`).join(''),
        );
      }
    });
}
