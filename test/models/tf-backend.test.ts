import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../features/errors.ts';
import { LogisticRegression } from '../../models/logistic-regression.ts';
import { activeBackend, useBackend } from '../../models/tf-backend.ts';
import { syntheticSet } from './scorer-suite.ts';

async function nativeInstalled(): Promise<boolean> {
  const specifier = '@tensorflow/tfjs-node';
  return import(specifier).then(
    () => true,
    () => false,
  );
}

describe('useBackend', () => {
  afterAll(async () => {
    await useBackend('auto');
  });

  it('switches to a named backend and reports it', async () => {
    expect(await useBackend('cpu')).toBe('cpu');
    expect(activeBackend()).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(await useBackend('wasm')).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
  });

  it('auto prefers tfjs-node, else wasm', async () => {
    expect(await useBackend('auto')).toBe((await nativeInstalled()) ? 'tfjs-node' : 'wasm');
  });

  it('names the backend that cannot start', async () => {
    if (await nativeInstalled()) {
      expect(await useBackend('tfjs-node')).toBe('tfjs-node');
    } else {
      await expect(useBackend('tfjs-node')).rejects.toThrow(InputError);
      await expect(useBackend('tfjs-node')).rejects.toThrow(/--backend tfjs-node.*could not be started/);
    }
  });

  it('gives the same model on cpu and wasm, up to float rounding', async () => {
    const { x, y } = syntheticSet(500, 4);
    const probe = syntheticSet(50, 5).x;
    const fitOn = async (backend: 'cpu' | 'wasm') => {
      await useBackend(backend);
      const model = await new LogisticRegression({ earlyStopping: false, tolerance: 1e-6 }).fit(x, y);
      const p = await model.predictProba(probe);
      model.dispose();
      return p;
    };
    const cpu = await fitOn('cpu');
    const wasm = await fitOn('wasm');
    for (let i = 0; i < cpu.length; i++) expect(wasm[i]!).toBeCloseTo(cpu[i]!, 3);
  });
});
