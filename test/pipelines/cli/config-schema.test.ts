import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/run-cli.ts';

describe('config schema', () => {
  it('prints the JSON Schema of the dataset config, rejecting unknown keys', () => {
    const r = runCli(['config', 'schema']);
    expect(r.code).toBe(0);
    const schema = JSON.parse(r.stdout);
    expect(schema.type).toBe('object');
    expect(schema.required).toEqual(expect.arrayContaining(['name', 'leads', 'label']));
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(['idColumn', 'columns', 'exclude', 'missingValues', 'events', 'outcomes']),
    );
  });

  it('--help lists the commands', () => {
    const r = runCli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/demo/);
    expect(r.stdout).toMatch(/data/);
    expect(r.stdout).toMatch(/config/);
  });
});
