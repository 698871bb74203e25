import { MECHANISM_NAMES, MECHANISMS, type MechanismName } from './mechanism.js';
import type { WorldRecord } from './generate-world.js';

export interface MechanismCount {
  firing: number;
  actionable: boolean;
}

/** Counts over a generated stream, as the manifest reports them. */
export interface WorldCounts {
  firing: number;
  resolved: number;
  actionable: number;
  noise: number;
  outcomes: number;
  mislabeledOutcomes: number;
  firingWithoutOutcome: number;
  mechanisms: Record<MechanismName, MechanismCount>;
}

/** Tallies records as they stream past (nothing is kept but the counts). */
export class WorldStats {
  readonly counts: WorldCounts = {
    firing: 0, resolved: 0, actionable: 0, noise: 0, outcomes: 0, mislabeledOutcomes: 0, firingWithoutOutcome: 0,
    mechanisms: Object.fromEntries(MECHANISM_NAMES.map((m) => [m, { firing: 0, actionable: MECHANISMS[m].actionable }])) as Record<MechanismName, MechanismCount>,
  };

  add(record: WorldRecord): void {
    const c = this.counts;
    if (record.kind === 'alert') {
      if (record.alert.status === 'firing') c.firing++;
      else c.resolved++;
    } else if (record.kind === 'truth') {
      c.mechanisms[record.truth.mechanism].firing++;
      if (record.truth.actionable) c.actionable++;
      else c.noise++;
    } else {
      c.outcomes++;
      if (record.mislabeled) c.mislabeledOutcomes++;
    }
  }

  /** Call once the stream is exhausted. */
  finish(): WorldCounts {
    this.counts.firingWithoutOutcome = this.counts.firing - this.counts.outcomes;
    return this.counts;
  }
}
