/**
 * Why a synthetic alert fired, and whether a person really had to act on it. The mechanism is written
 * only to `truth.ndjson`; nothing in the alert line names it.
 */
export const MECHANISMS = {
  /** A rule that fires and resolves repeatedly within minutes. */
  flapping: { actionable: false },
  /** A spike that resolves by itself within a few minutes. */
  transient: { actionable: false },
  /** A rule that fires every day (some at `critical`) and that nobody ever acts on. */
  chronic: { actionable: false },
  /** One-off threshold crossings of moderate length that nobody acts on. */
  background: { actionable: false },
  /** The same alert from a second collector, seconds later, with another id. */
  duplicate: { actionable: false },
  /** Alerts raised by planned work inside a maintenance window. */
  maintenance: { actionable: false },
  /** An incident-like cascade (load test, monitoring blip) that nobody acted on: irreducible noise. */
  'false-alarm-cascade': { actionable: false },
  /** A root service degrades and alerts cascade along the dependency graph. */
  incident: { actionable: true },
  /** A real problem on one service that does not co-fire (disk filling, certificate expiry, …). */
  'isolated-problem': { actionable: true },
  /** A real problem that looks like a transient spike: irreducible. */
  'brief-real-problem': { actionable: true },
} as const satisfies Record<string, { actionable: boolean }>;

export type MechanismName = keyof typeof MECHANISMS;

export const MECHANISM_NAMES = Object.keys(MECHANISMS) as MechanismName[];
