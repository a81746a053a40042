// Import direction from the architecture guide (docs/ARCHITECTURE.md):
//   pipelines -> training -> models -> features, and serving -> models -> features.
// pipelines and serving never import each other; serving never imports training;
// nothing imports notebooks/ or test/. No cycles anywhere.
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
      name: 'no-pipelines-to-serving',
      comment:
        'pipelines/ and serving/ never import each other. The one exception is the bin, the ' +
        'composition root that mounts serving\'s `serve` command beside the batch commands.',
      severity: 'error',
      from: { path: '^pipelines/', pathNot: '^pipelines/cli/leadscore\\.ts$' },
      to: { path: '^serving/' },
    },
    {
      name: 'no-import-of-notebooks-or-tests',
      severity: 'error',
      from: { pathNot: '^test/' },
      to: { path: '^(notebooks|test)/' },
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
    exclude: { path: '(^node_modules/|\\.d\\.ts$)' },
  },
};
