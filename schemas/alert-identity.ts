import { createHash } from 'node:crypto';

/** First 32 hex characters (128 bits) of SHA-256: collision-free at any realistic alert volume, short in keys. */
export function shortHash(parts: readonly (string | number)[]): string {
  // JSON framing keeps ["a b", "c"] and ["a", "b c"] apart.
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);
}

/** Stable identity of an alert series (DESIGN §2): tenant, rule, service and the sorted label set. */
export function computeFingerprint(tenant: string, name: string, service: string, labels: ReadonlyMap<string, string>): string {
  const sorted = [...labels].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return shortHash([tenant, name, service, ...sorted.flat()]);
}

/**
 * Identity of one firing of a series. Derived from event time rather than arrival so that a
 * collector's retry, and the later `resolved` event (same series, same `startsAt`), map to the same id.
 */
export function computeAlertId(fingerprint: string, startsAt: number): string {
  return shortHash([fingerprint, startsAt]);
}
