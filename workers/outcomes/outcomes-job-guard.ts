import { UnrecoverableError } from 'bullmq';
import { TENANT_PATTERN } from '../../schemas/alert.js';
import { OUTCOME_KINDS, OUTCOME_SOURCES, type Outcome } from '../../schemas/outcome.js';

/** Checks an `outcomes` job; a malformed one fails permanently with its reason. */
export function guardOutcomesJob(data: unknown): Outcome[] {
  const outcomes = (data as { outcomes?: unknown } | null)?.outcomes;
  if (!Array.isArray(outcomes) || outcomes.length === 0) throw new UnrecoverableError('outcomes job must carry a non-empty "outcomes" array');
  return outcomes.map((value: unknown, index) => {
    const o = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
    const fail = (field: string, expected: string): never => {
      throw new UnrecoverableError(`outcomes[${index}].${field} must be ${expected}`);
    };
    if (typeof o.tenant !== 'string' || !TENANT_PATTERN.test(o.tenant)) fail('tenant', `a tenant matching ${TENANT_PATTERN}`);
    if (typeof o.alertId !== 'string' || o.alertId === '') fail('alertId', 'a non-empty string');
    if (!OUTCOME_KINDS.includes(o.outcome as Outcome['outcome'])) fail('outcome', OUTCOME_KINDS.join('|'));
    if (!OUTCOME_SOURCES.includes(o.source as Outcome['source'])) fail('source', OUTCOME_SOURCES.join('|'));
    if (typeof o.at !== 'number' || !Number.isFinite(o.at)) fail('at', 'epoch milliseconds');
    return o as unknown as Outcome;
  });
}
