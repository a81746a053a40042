#!/usr/bin/env node
// The `leadscore` bin. Installed from the package, it runs the compiled CLI in dist/. In a
// checkout, where the TypeScript sources sit beside it, it runs them through tsx instead, so
// the CLI works without a build step and always runs the code as it is now.
import { existsSync } from 'node:fs';

const source = new URL('../pipelines/cli/leadscore.ts', import.meta.url);
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(source.href);
} else {
  // As a URL, like the source, so that no import checker looks for dist/ in a checkout.
  await import(new URL('../dist/pipelines/cli/leadscore.js', import.meta.url).href);
}
