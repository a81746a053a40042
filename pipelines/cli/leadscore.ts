// The CLI's composition root, run by bin/leadscore.js: the batch commands and serving's
// `serve`. serving/ is no pipelines/ module's to import; this file is the one place where
// the two meet (see .dependency-cruiser.cjs), and serve-command.ts loads the worker only
// when `serve` runs.
import { registerServe } from '../../serving/serve-command.ts';
import { main } from './main.ts';

const code = await main(process.argv, [registerServe]);
process.exitCode = code;
// The command has finished (main resolves when `serve` stops too): the process ends once
// stdout and stderr have taken what was written to them, without waiting for timers a
// library left behind. ioredis's reply parser, after a large reply (a chunk's results for
// `score --queue`), shrinks its buffer pool on a 50 ms interval that holds the process
// for about 2 s more.
let unflushed = 2;
const flushed = (): void => {
  if (--unflushed === 0) process.exit(code);
};
process.stdout.write('', flushed);
process.stderr.write('', flushed);
