import type { EventAggregateOptions } from './event-aggregates.ts';
import type { EventsConfig } from './feature-config.ts';

/** The aggregation part of an events config (what fitFeatureSpec and the batch SQL need). */
export function eventAggregateOptions(config: EventsConfig): EventAggregateOptions {
  return {
    types: [...config.types],
    windowsDays: [...config.windowsDays],
    halfLifeDays: config.halfLifeDays,
    numericProperties: [...config.numericProperties],
  };
}
