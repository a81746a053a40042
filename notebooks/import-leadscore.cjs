// Imports the `leadscore` package into a notebook, as a service or a script imports it.
//
// The TypeScript Jupyter kernel (tslab) compiles each cell to CommonJS with Node10 module
// resolution, which cannot import the package's ES modules by name. This CommonJS file
// can: its dynamic import() resolves `leadscore` to this checkout's own build (through
// package.json `exports`: dist/, made by `npm run build`), and cells take the package's
// types from the same build:
//
//   const { importLeadscore } = require('./import-leadscore.cjs');
//   const ls: typeof import('../dist/index') = await importLeadscore();
//
// Only the public API is reachable this way; what dist/index.d.ts does not export is
// internal. In a project that installed the package, `import('leadscore')` does the same.

const path = require('node:path');
const { existsSync } = require('node:fs');

const root = path.resolve(__dirname, '..');

/** The `leadscore` package (its root export), from this checkout's build. */
exports.importLeadscore = async function importLeadscore() {
  if (!existsSync(path.join(root, 'dist', 'index.js'))) {
    throw new Error('leadscore is not built: run `npm run build` in the repository first');
  }
  // The package by its own name, as a project that installed it imports it.
  return import(require('../package.json').name);
};

/** The repository root, for paths to configs and data. */
exports.root = root;
