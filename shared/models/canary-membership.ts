import { createHash } from 'node:crypto';

const UINT32_RANGE = 2 ** 32;

/**
 * The service's fixed place in [0, 1) for canary routing: the first 32 bits of sha256(tenant, service).
 * Every replica computes the same point, and a service whose point is below a share stays below every
 * larger share, so a canary grows by adding services, never by swapping them.
 */
export function canaryPoint(tenant: string, service: string): number {
  return createHash('sha256').update(tenant).update('\0').update(service).digest().readUInt32BE(0) / UINT32_RANGE;
}

/** Whether the canary at `share` (0 = none, 1 = every service) routes this service to the challenger. */
export function inCanary(tenant: string, service: string, share: number): boolean {
  return share > 0 && canaryPoint(tenant, service) < share;
}
