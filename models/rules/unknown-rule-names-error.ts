import { InputError } from '../../features/errors.ts';

/** A rules file naming columns the data lacks or event types it never has: such rules never fire (or always do). */
export class UnknownRuleNamesError extends InputError {
  override name = 'UnknownRuleNamesError';
  constructor(
    message: string,
    readonly columns: readonly string[],
    readonly eventTypes: readonly string[],
  ) {
    super(message, { columns, eventTypes });
  }
}
