// Loads the project's TypeScript modules into a notebook.
//
// The TypeScript Jupyter kernel (tslab) compiles each cell to CommonJS with its own
// compiler settings, which cannot follow the project's ESM imports with `.ts` extensions.
// So cells load project modules through this file: a real CommonJS module, whose dynamic
// import() hands the module to tsx's loader, exactly as the CLI runs it.
//
//   const { load } = require('./load-project.cjs');
//   const { loadDatasetConfig } = await load('pipelines/config/load-config.ts');
//
// Paths are relative to the repository root. Packages load by name: load('zod').

const path = require('node:path');
const { pathToFileURL } = require('node:url');

const root = path.resolve(__dirname, '..');
let api;

/** Imports a project module (a path from the repository root) or a package (a bare name). */
exports.load = async function load(specifier) {
  api ??= await import('tsx/esm/api');
  const target = specifier.endsWith('.ts') ? pathToFileURL(path.join(root, specifier)).href : specifier;
  return api.tsImport(target, pathToFileURL(path.join(root, 'package.json')).href);
};

/** The repository root, for paths to configs and data. */
exports.root = root;
