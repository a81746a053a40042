import type { Frame } from '../../features/frame.ts';
import type { LeadModel } from '../../models/lead-model.ts';
import { reasonText } from '../../models/reasons.ts';
import type { EventsByLead } from '../../models/rules/rule-engine.ts';
import type { Cell } from '../io/table-writer.ts';

/** The output rows of `leadscore score` for a frame (see scoreColumns): one per lead, in frame order. */
export async function scoreRows(
  model: LeadModel,
  frame: Frame,
  asOf: Float64Array | undefined,
  eventsByLead: EventsByLead | undefined,
  reasons: number,
): Promise<Cell[][]> {
  const s = await model.scoreFrame(frame, { asOf, eventsByLead, reasons });
  return frame.ids.map((id, i) => {
    const why = s.reasons?.[i] ?? [];
    return [
      id,
      Number(s.probability[i]!.toFixed(6)),
      Math.round(s.probability[i]! * 100),
      s.tier[i]!,
      s.ruleScore ? s.ruleScore[i]! : null,
      s.ruleTier ? s.ruleTier[i]! : null,
      ...Array.from({ length: 3 }, (_, j) => (why[j] ? reasonText(why[j]!) : null)),
    ];
  });
}
