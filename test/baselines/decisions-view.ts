import type { BaselineDecision } from '../../shared/baselines/index.js';

/** Decisions as `{ id: 'notify +30s first_notification' | 'suppress deduplicated' }`, for exact expectations. */
export function view(decisions: ReadonlyMap<string, BaselineDecision>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const id of [...decisions.keys()].sort()) {
    const d = decisions.get(id) as BaselineDecision;
    out[id] = d.decision === 'notify' ? `notify +${d.delayMs / 1000}s ${d.reason}` : `suppress ${d.reason}`;
  }
  return out;
}
