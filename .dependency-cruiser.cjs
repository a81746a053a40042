// Import direction from the architecture guide:
//   pipelines -> training -> models -> features, and serving -> models -> features.
// pipelines/ imports serving/'s public index only; serving/ never imports pipelines/ or
// training/; the product never imports notebooks/ or test/ (benchmarks may import test
// helpers), nor a development dependency. No cycles anywhere.
const layer = (from, to, comment) => ({
  name: `no-${from}-to-${to}`,
  comment,
  severity: 'error',
  from: { path: `^${from}/` },
  to: { path: `^${to}/` },
});

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'import cycles', from: {}, to: { circular: true } },
    layer('features', '(models|training|pipelines|serving)', 'features/ is the bottom layer'),
    layer('models', '(training|pipelines|serving)', 'models/ only imports features/'),
    layer('training', '(pipelines|serving)', 'training/ imports models/ and features/ only'),
    layer('serving', '(pipelines|training)', 'serving/ never imports pipelines/ or training/'),
    {
      name: 'pipelines-to-serving-public-index-only',
      comment:
        'pipelines/ imports serving/ through its public index only: index.ts, or redis.ts, its ' +
        'light Redis part (connection options, TLS material, the production pointer), for the ' +
        'commands that publish what the workers read, or postgres.ts, its light PostgreSQL part ' +
        "(connections, the scores-table writer score and the worker share). The bin's composition root mounts " +
        "serving's `serve` command beside the batch commands.",
      severity: 'error',
      from: { path: '^pipelines/', pathNot: '^pipelines/cli/leadscore\\.ts$' },
      to: { path: '^serving/', pathNot: '^serving/(index|redis|postgres)\\.ts$' },
    },
    {
      name: 'no-import-of-notebooks-or-tests',
      comment: 'the product never imports notebooks/ or test/',
      severity: 'error',
      from: { pathNot: '^(test|pipelines/bench)/' },
      to: { path: '^(notebooks|test)/' },
    },
    {
      name: 'benchmarks-import-test-helpers-only',
      comment: 'benchmarks may reuse the fixtures in test/helpers/ (a local Redis, a trained model), not tests',
      severity: 'error',
      from: { path: '^pipelines/bench/' },
      to: { path: '^(notebooks/|test/(?!helpers/))' },
    },
    {
      name: 'product-needs-no-dev-dependency',
      comment:
        'an installed leadscore has no devDependencies, so the product never loads one. Tests, ' +
        "benchmarks and notebooks may; so may the report charts' Vega-Lite source and its compiler, " +
        'build tooling whose output (pipelines/report/chart-templates.json) is what the product reads, ' +
        'and the entry points that load tsx only when they run from the TypeScript sources (the ' +
        "bin and the worker threads' entries). A type-only import is erased.",
      severity: 'error',
      from: {
        pathNot:
          '^(test|notebooks|pipelines/bench)/|^pipelines/report/(chart-specs|compile-charts|render-chart)\\.ts$|' +
          '^bin/leadscore\\.js$|^(serving/worker-thread|models/gbdt/histogram-thread|pipelines/score/scoring-thread)-entry\\.js$',
      },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'render-chart-loads-vega-lite-on-demand-only',
      comment:
        'renderChart (a Vega-Lite spec to SVG, for notebooks and scripts) loads vega-lite when called, ' +
        'an optional peer dependency; the report renders its precompiled charts without it.',
      severity: 'error',
      from: { path: '^pipelines/report/render-chart\\.ts$' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only', 'dynamic-import'] },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
    // dist/ is the build (gitignored): the rules hold for the sources it is made from. Packages
    // are seen (not followed), for the rule on development dependencies.
    exclude: { path: '(^dist/|\\.d\\.ts$)' },
  },
};
