import type { Command } from 'commander';
import { registerDataProfile } from './data-profile.ts';
import { registerDataSynth } from './data-synth.ts';

/** `leadscore data ...`: data set commands, one subcommand per file. */
export function registerData(program: Command): void {
  const data = program.command('data').description('Inspect and generate lead data');
  registerDataProfile(data);
  registerDataSynth(data);
}
