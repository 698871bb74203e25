import type { ResolvedWorldOptions } from './world-options.js';
import type { Topology } from './topology.js';

/** Everything the simulation needs: options, the organisation, and the rate multiplier. */
export interface WorldPlan {
  options: ResolvedWorldOptions;
  topology: Topology;
  /** Multiplier on every natural rate (1 unless `alerts` asked for a size). */
  rate: number;
  /** Epoch ms of the first and one past the last instant of the stream. */
  startMs: number;
  endMs: number;
}
