import { describe, expect, it } from 'vitest';
import { TrainingConfig } from '../../training/training-config.ts';

describe('TrainingConfig', () => {
  it('fills every default from an empty section', () => {
    expect(TrainingConfig.parse({})).toEqual({
      model: 'logistic',
      modelOptions: {},
      calibration: 'platt',
      seed: 42,
      minPositives: 100,
      minNegatives: 100,
      split: { by: 'random', validationFraction: 0.15, testFraction: 0.2, folds: 5 },
      tiers: { policy: 'capacity', names: ['hot', 'warm', 'cold'], shares: [0.1, 0.2] },
      evaluation: { bootstrapResamples: 1000 },
    });
  });

  it('accepts a target-rate tier policy with its defaults', () => {
    expect(TrainingConfig.parse({ tiers: { policy: 'targetRate' } }).tiers).toEqual({
      policy: 'targetRate',
      names: ['hot', 'warm', 'cold'],
      targetRates: [0.8, 0.4],
    });
  });

  it('rejects unknown keys, also in nested sections', () => {
    expect(TrainingConfig.safeParse({ epochs: 3 }).success).toBe(false);
    expect(TrainingConfig.safeParse({ split: { by: 'time', column: 'date' } }).success).toBe(false);
    expect(TrainingConfig.safeParse({ tiers: { policy: 'capacity', targetRates: [0.5] } }).success).toBe(false);
  });

  it('checks tier names against the targets and that targets decrease', () => {
    const names = TrainingConfig.safeParse({
      tiers: { policy: 'targetRate', names: ['hot', 'cold'], targetRates: [0.8, 0.4] },
    });
    expect(names.error?.issues[0]?.path).toEqual(['tiers', 'names']);
    const order = TrainingConfig.safeParse({ tiers: { policy: 'targetRate', targetRates: [0.4, 0.8] } });
    expect(order.error?.issues[0]?.path).toEqual(['tiers', 'targetRates', 1]);
    expect(TrainingConfig.safeParse({ tiers: { policy: 'capacity', shares: [0.7, 0.5] } }).success).toBe(false);
  });

  it('needs a group column for a group split', () => {
    expect(TrainingConfig.safeParse({ split: { by: 'group' } }).error?.issues[0]?.path).toEqual([
      'split',
      'groupColumn',
    ]);
    expect(TrainingConfig.parse({ split: { by: 'group', groupColumn: 'account' } }).split.groupColumn).toBe('account');
  });

  it('rejects split fractions leaving no training rows', () => {
    const r = TrainingConfig.safeParse({ split: { validationFraction: 0.5, testFraction: 0.5 } });
    expect(r.error?.issues[0]?.path).toEqual(['split', 'testFraction']);
  });
});
