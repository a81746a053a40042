import { z } from 'zod';

/**
 * One engagement event of a lead (page view, email open, form fill...). `at` is epoch
 * milliseconds UTC. `properties` carries optional numeric measurements (seconds on page).
 */
export const EngagementEvent = z
  .object({
    leadId: z.string().min(1),
    type: z.string().min(1),
    at: z.number().finite(),
    eventId: z.string().min(1).optional(),
    properties: z.record(z.string(), z.number().finite()).optional(),
  })
  .strict();
export type EngagementEvent = z.infer<typeof EngagementEvent>;

/**
 * An event as features and rules read it (its type, time and properties): an
 * EngagementEvent whose lead id may be left out, since a lead's own events belong to it.
 */
export type TimedEvent = Omit<EngagementEvent, 'leadId'> & { leadId?: string };
