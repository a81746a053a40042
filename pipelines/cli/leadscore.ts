// The CLI's composition root, run by bin/leadscore.js: the batch commands and serving's
// `serve`. serving/ is no pipelines/ module's to import; this file is the one place where
// the two meet (see .dependency-cruiser.cjs), and serve-command.ts loads the worker only
// when `serve` runs.
import { registerServe } from '../../serving/serve-command.ts';
import { main } from './main.ts';

process.exitCode = await main(process.argv, [registerServe]);
