import type { MechanismName } from './mechanism.js';

/** One line of `truth.ndjson`: the real label of a firing alert, free of label noise. */
export interface TruthWire {
  tenant: string;
  alertId: string;
  actionable: boolean;
  mechanism: MechanismName;
}
