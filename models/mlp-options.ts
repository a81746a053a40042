/** Settings of the MLP scorer. */

import { z } from 'zod';
import { ClassWeight } from './class-weights.ts';

export const MlpOptions = z
  .object({
    /** Units of each hidden layer (one or two layers). Default [32]. */
    hiddenUnits: z.array(z.number().int().positive().max(4096)).min(1).max(2).default([32]),
    /** Activation of the hidden layers. Default relu. */
    activation: z.enum(['relu', 'tanh']).default('relu'),
    /** Share of hidden units dropped at random in each training step. Default 0.1. */
    dropout: z.number().min(0).lt(1).default(0.1),
    /** L2 penalty `l2 / 2 * ||kernel||²` on every weight matrix, added to the mean log loss. Default 1e-4. */
    l2: z.number().nonnegative().default(1e-4),
    /** Adam learning rate. Default 0.003. */
    learningRate: z.number().positive().default(0.003),
    /** Rows per training step. Default 512. */
    batchSize: z.number().int().positive().default(512),
    /** Most passes over the training rows. Default 100. */
    maxEpochs: z.number().int().positive().default(100),
    /** Class weighting for rare conversions; null weighs every row 1. Default null. */
    classWeight: ClassWeight.nullable().default(null),
    /** Keep the epoch with the lowest validation loss and stop after `patience` epochs without improvement. Default true. */
    earlyStopping: z.boolean().default(true),
    /** Share of training rows held out (stratified, seeded) when fit gets no validation rows. Default 0.1. */
    validationFraction: z.number().gt(0).lt(1).default(0.1),
    /** Epochs without a validation improvement before stopping. Default 8. */
    patience: z.number().int().positive().default(8),
    /** Improvement in validation loss that counts as one. Default 1e-5. */
    tolerance: z.number().nonnegative().default(1e-5),
    /** Seed of weight initialisation, row shuffling, dropout and the internal split (FitOptions.seed wins). Default 42. */
    seed: z.number().int().default(42),
  })
  .strict();
export type MlpOptions = z.infer<typeof MlpOptions>;
/** What the constructor accepts: any subset of the settings. */
export type MlpOptionsInput = z.input<typeof MlpOptions>;
