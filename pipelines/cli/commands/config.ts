import type { Command } from 'commander';
import { InvariantError } from '../../../features/errors.ts';

/** `leadscore config schema [--rules]`: prints the JSON Schema of the dataset config (or rules file). */
export function registerConfig(program: Command): void {
  const config = program.command('config').description('Dataset config helpers');
  config
    .command('schema')
    .description('Print the JSON Schema of the dataset config file')
    .option('--rules', 'print the schema of the rules file instead')
    .action(async (opts: { rules?: boolean }) => {
      const [{ z }, { DatasetConfig }, { extraSchemas }] = await Promise.all([
        import('zod'),
        import('../../config/dataset-config.ts'),
        import('../../config/schemas.ts'),
      ]);
      const schema = opts.rules ? extraSchemas.rules : DatasetConfig;
      if (!schema) throw new InvariantError('rules schema is not registered');
      const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
      process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
    });
}
