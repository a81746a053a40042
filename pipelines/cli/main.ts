import { Command, CommanderError } from 'commander';
import { InputError } from '../../features/errors.ts';
import { commands } from './commands/index.ts';

/** A function adding one command to the program. */
export type RegisterCommand = (program: Command) => void;

/**
 * Builds the `leadscore` program with every command registered, plus `extra` ones from
 * outside pipelines/ (the bin adds serving's `serve`).
 */
export function buildProgram(extra: RegisterCommand[] = []): Command {
  const program = new Command('leadscore')
    .description('Predictive lead scoring: train, evaluate and serve conversion probabilities beside your rules.')
    .showHelpAfterError()
    .exitOverride();
  for (const register of [...commands, ...extra]) register(program);
  return program;
}

/**
 * Runs the CLI and resolves to the exit code: 0 on success, 2 on bad input (one line on
 * stderr naming the file, row or field), 1 on anything unexpected.
 */
export async function main(argv: string[], extra: RegisterCommand[] = []): Promise<number> {
  const program = buildProgram(extra);
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version are "errors" to commander; they already printed.
      return err.exitCode === 0 ? 0 : 2;
    }
    if (err instanceof InputError) {
      process.stderr.write(`leadscore: ${err.message}\n`);
      return 2;
    }
    process.stderr.write(
      `leadscore: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    return 1;
  }
}
