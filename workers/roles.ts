import type { RoleStarter } from './role.js';
import { startGateway } from './gateway/main.js';
import { startScoring } from './scoring/main.js';
import { startOutcomes } from './outcomes/main.js';
import { startTraining } from './training/main.js';
import { startEvaluation } from './evaluation/main.js';
import { startDrift } from './drift/main.js';
import { startMetrics } from './metrics/main.js';

/** Every process role, by the name `hush worker <role>` takes. */
export const ROLES = {
  gateway: startGateway,
  scoring: startScoring,
  outcomes: startOutcomes,
  training: startTraining,
  evaluation: startEvaluation,
  drift: startDrift,
  metrics: startMetrics,
} as const satisfies Record<string, RoleStarter>;

export type RoleName = keyof typeof ROLES;

export function isRoleName(name: string): name is RoleName {
  return Object.hasOwn(ROLES, name);
}
