/** Where a batch pipeline reports its phases and counts (the CLI shows them; see cli/progress.ts). */
export interface Phases {
  /** A phase starts: reading, features, fitting, calibrating, evaluating, scoring, writing. */
  phase(name: string): void;
  /** How far the current phase has come: `done` of `total` `unit`; `note`, more to say (workers seen). */
  count(done: number, total: number, unit: string, note?: string): void;
}

/** Phases that go nowhere. */
export const noPhases: Phases = { phase: () => {}, count: () => {} };
