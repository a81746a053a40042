/**
 * Features: pure encoders from lead attributes and engagement events to vectors.
 *
 * Training (batch), in pipelines/:
 *   1. load the leads Frame; with events, build point-in-time rows (asOf per lead) and join
 *      the batch event aggregates onto the frame (pipelines/features/);
 *   2. `fitFeatureSpec(trainFrame, config.columns, { asOf, events, missingValues })` on training rows only;
 *   3. `encodeFrame(spec, frame, { asOf })` -> Matrix, `featureNames(spec)` for its columns;
 *   4. store the spec (plain JSON) in the model artifact, with `specHash(spec)`.
 *
 * Serving (online), in serving/:
 *   `encodeLead(parseFeatureSpec(json), attributes, events, asOf)` -> Float32Array, the same
 *   vector encodeFrame gives that lead at that asOf.
 *
 * Reasons in words: `featureInfo(spec)[j]` names output j's source column, a label such as
 * `Last Activity = SMS Sent`, and its role (`value` outputs show the raw value: `TotalVisits = 12`).
 */
export { InputError, NotFittedError } from './errors.ts';
export { EngagementEvent } from './events.ts';
export { AsOfConfig, ColumnSpec, EventsConfig, OutcomesConfig } from './feature-config.ts';
export { frameColumn, frameRow, LeadAttributes, takeRows } from './frame.ts';
export type { CellValue, ColumnType, Frame, FrameColumn } from './frame.ts';
export { takeMatrixRows, zeros } from './matrix.ts';
export type { Matrix } from './matrix.ts';
export {
  canonicalJson,
  ColumnEncoder,
  encoderOutputs,
  FeatureSpec,
  featureInfo,
  featureNames,
  parseFeatureSpec,
  specHash,
} from './feature-spec.ts';
export type { FeatureInfo } from './feature-spec.ts';
export { fitFeatureSpec } from './fit-feature-spec.ts';
export type { FitSpecOptions } from './fit-feature-spec.ts';
export { encodeFrame, encodeLead, encodeLeadInto, featureCount } from './encode-features.ts';
export type { EncodeContext } from './encode-features.ts';
export { aggregateColumns, DAY_MS, eventAggregates, EventAggregateOptions } from './event-aggregates.ts';
export type { AggregateColumn, AggregateMeasure, AggregateValues } from './event-aggregates.ts';
export { eventAggregateOptions } from './event-options.ts';
