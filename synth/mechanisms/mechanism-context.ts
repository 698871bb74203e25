import type { AlertScheduler } from '../alert-scheduler.js';
import type { Prng } from '../prng.js';
import type { Topology } from '../topology.js';

/** What every mechanism gets: the world, its own random stream, and where to send firings. */
export interface MechanismContext {
  topology: Topology;
  scheduler: AlertScheduler;
  prng: Prng;
  /** Multiplier on every natural rate (1 = the natural rate). */
  rate: number;
}

/** A source of alerts; `generate` adds every episode that starts in [from, to) (one hour). */
export interface AlertMechanism {
  generate(from: number, to: number): void;
}

export const SECOND = 1_000;
export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;
