#!/usr/bin/env node
// Entry point of the `leadscore` bin: registers the TypeScript loader, then runs the CLI.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.ts');
// `serve` lives in serving/, which no pipelines/ module may import. This entry point is the
// one place where the batch commands and the worker meet (see .dependency-cruiser.cjs);
// serve-command.ts loads the worker only when `serve` runs.
const { registerServe } = await import('../../serving/serve-command.ts');
process.exitCode = await main(process.argv, [registerServe]);
