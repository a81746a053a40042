import { InputError } from '../../features/errors.ts';
import type { PromotionComparison } from './production-record.ts';

/** A promotion the registry declined: the candidate scores worse, or cannot be compared. */
export class PromotionRefusedError extends InputError {
  override name = 'PromotionRefusedError';
  constructor(
    message: string,
    /** The figures behind the refusal, when the two models could be compared. */
    readonly comparison: PromotionComparison | null,
  ) {
    super(message, { comparison });
  }
}
