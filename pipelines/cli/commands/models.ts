import type { Command } from 'commander';
import { registerModelsAdd } from './models-add.ts';
import { registerModelsList } from './models-list.ts';
import { registerModelsPromote } from './models-promote.ts';
import { registerModelsRollback } from './models-rollback.ts';
import { registerModelsShow } from './models-show.ts';

/** `leadscore models ...`: the model registry, one subcommand per file. */
export function registerModels(program: Command): void {
  const models = program
    .command('models')
    .description('The model registry: list versions, promote one to production, roll back');
  registerModelsList(models);
  registerModelsShow(models);
  registerModelsAdd(models);
  registerModelsPromote(models);
  registerModelsRollback(models);
}
