import type { Frame } from '../../features/frame.ts';
import type { LeadModel } from '../../models/lead-model.ts';
import { reasonText } from '../../models/reasons.ts';
import type { EventsByLead } from '../../models/rules/rule-engine.ts';
import type { Cell } from '../io/table-writer.ts';

/** Output rows made at a time: their reasons and cells are garbage soon after they are made. */
const SLICE_ROWS = 4096;

/**
 * The output rows of `leadscore score` for a frame (see scoreColumns): one per lead, in frame
 * order, a slice of at most `sliceRows` rows at a time (the frame is scored at once; the rows
 * of a slice are worded when it is asked for).
 */
export async function* scoreRows(
  model: LeadModel,
  frame: Frame,
  asOf: Float64Array | undefined,
  eventsByLead: EventsByLead | undefined,
  reasons: number,
  sliceRows = SLICE_ROWS,
): AsyncGenerator<Cell[][]> {
  const s = await model.scoreFrame(frame, { asOf, eventsByLead, reasons });
  const { probability, tier, ruleScore, ruleTier, reasonsOf } = s;
  const n = frame.rowCount;
  for (let start = 0; start < n; start += sliceRows) {
    const end = Math.min(n, start + sliceRows);
    const rows = new Array<Cell[]>(end - start);
    for (let i = start; i < end; i++) {
      const why = reasonsOf ? reasonsOf(i) : [];
      const p = probability[i]!;
      rows[i - start] = [
        frame.ids[i]!,
        Number(p.toFixed(6)),
        Math.round(p * 100),
        tier[i]!,
        ruleScore ? ruleScore[i]! : null,
        ruleTier ? ruleTier[i]! : null,
        why[0] ? reasonText(why[0]) : null,
        why[1] ? reasonText(why[1]) : null,
        why[2] ? reasonText(why[2]) : null,
      ];
    }
    yield rows;
  }
}
