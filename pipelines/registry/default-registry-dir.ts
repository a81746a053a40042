/**
 * Where model versions live unless `--registry` says otherwise (gitignored). Kept apart from
 * the registry itself so command help can show it without loading the registry's code.
 */
export const defaultRegistryDir = 'data/models';
