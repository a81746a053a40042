/**
 * The configured train/validation/test split of a loaded frame: picks the label and the
 * time column out of the frame and hands them to the pure splits.
 */

import { InputError } from '../features/errors.ts';
import { frameColumn, type Frame } from '../features/frame.ts';
import { groupSplit, stratifiedKFold, stratifiedSplit, timeSplit, type Fold, type SplitIndices } from './splits.ts';
import type { SplitConfig } from './training-config.ts';

/** The frame's labels; an InputError naming the source when it has none. */
export function frameLabels(frame: Frame): Uint8Array {
  if (!frame.label)
    throw new InputError(`${frame.source}: the rows carry no label, so they cannot be split for training or evaluated`);
  return frame.label;
}

/**
 * The time of each row for a time split: the `column` values (timestamp or numeric), or
 * the file row number when no column is named.
 */
export function frameTimes(frame: Frame, column: string | undefined): ArrayLike<number | null> {
  if (column === undefined) return frame.rowNumbers;
  const c = frameColumn(frame, column);
  if (!c) {
    throw new InputError(
      `${frame.source}: training.split.timeColumn "${column}" is not among the loaded columns (excluded, id and label columns are dropped)`,
    );
  }
  if (c.type !== 'timestamp' && c.type !== 'numeric') {
    throw new InputError(
      `${frame.source}: training.split.timeColumn "${column}" is ${c.type}; a time split needs a timestamp or numeric column`,
    );
  }
  return c.values;
}

/** The account or company of each row for a group split: a categorical or text column. */
export function frameGroups(frame: Frame, column: string): ArrayLike<string | null> {
  const c = frameColumn(frame, column);
  if (!c) {
    throw new InputError(
      `${frame.source}: training.split.groupColumn "${column}" is not among the loaded columns (excluded, id and label columns are dropped)`,
    );
  }
  if (c.type !== 'categorical' && c.type !== 'text') {
    throw new InputError(
      `${frame.source}: training.split.groupColumn "${column}" is ${c.type}; a group split needs a categorical or text column`,
    );
  }
  return c.values;
}

/** Train, validation and test rows of `frame` as `split` says, seeded by `seed`. */
export function splitFrame(frame: Frame, split: SplitConfig, seed: number): SplitIndices {
  const fractions = { validation: split.validationFraction, test: split.testFraction };
  if (split.by === 'group') {
    if (!split.groupColumn)
      throw new InputError(`${frame.source}: training.split.by is group but no training.split.groupColumn is set`);
    return groupSplit(frameGroups(frame, split.groupColumn), fractions, seed);
  }
  if (split.by === 'time') {
    const name = split.timeColumn ? `${frame.source}: column "${split.timeColumn}"` : `${frame.source}: file order`;
    return timeSplit(frameTimes(frame, split.timeColumn), fractions, { name });
  }
  return stratifiedSplit(frameLabels(frame), fractions, seed);
}

/** Stratified cross-validation folds of `frame` (`split.folds` of them), seeded by `seed`. */
export function crossValidationFolds(frame: Frame, split: SplitConfig, seed: number): Fold[] {
  return stratifiedKFold(frameLabels(frame), split.folds, seed);
}
