import { hash } from 'node:crypto';

/** First 32 hex characters (128 bits) of SHA-256: collision-free at any realistic alert volume, short in keys. */
export function shortHash(parts: readonly (string | number)[]): string {
  // JSON framing keeps ["a b", "c"] and ["a", "b c"] apart. One-shot `hash` (no Hash object): this runs per alert on ingest.
  return hash('sha256', JSON.stringify(parts), 'hex').slice(0, 32);
}

/** Stable identity of an alert series (DESIGN §2): tenant, rule, service and the sorted label set. */
export function computeFingerprint(tenant: string, name: string, service: string, labels: ReadonlyMap<string, string>): string {
  // Map keys are unique, so the default sort (UTF-16 code units) orders them exactly as a key comparator would.
  const parts = [tenant, name, service];
  for (const key of [...labels.keys()].sort()) parts.push(key, labels.get(key) ?? '');
  return shortHash(parts);
}

/**
 * Identity of one firing of a series. Derived from event time rather than arrival so that a
 * collector's retry, and the later `resolved` event (same series, same `startsAt`), map to the same id.
 */
export function computeAlertId(fingerprint: string, startsAt: number): string {
  return shortHash([fingerprint, startsAt]);
}
