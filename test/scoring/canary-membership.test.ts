import { describe, expect, it } from 'vitest';
import { canaryPoint, inCanary } from '../../shared/models/canary-membership.js';

const STAGES = [0.05, 0.25, 0.5, 1];
const services = Array.from({ length: 2_000 }, (_, i) => `service-${i}`);

describe('canary membership', () => {
  it('places a service at the same point on every replica and every release (sha256 of tenant and service)', () => {
    // Pinned values: a change to the function would reshuffle every running canary during a rolling deploy.
    expect(canaryPoint('acme', 'checkout')).toBeCloseTo(0.5197, 4);
    expect(canaryPoint('acme', 'search')).toBeCloseTo(0.5982, 4);
    expect(canaryPoint('acme', 'checkout')).toBe(canaryPoint('acme', 'checkout'));
  });

  it('separates tenant from service, so (a, bc) and (ab, c) are different services', () => {
    expect(canaryPoint('a', 'bc')).not.toBe(canaryPoint('ab', 'c'));
  });

  it('keeps every service of a stage in each larger stage', () => {
    for (let i = 1; i < STAGES.length; i += 1) {
      const smaller = services.filter((service) => inCanary('acme', service, STAGES[i - 1] as number));
      const larger = new Set(services.filter((service) => inCanary('acme', service, STAGES[i] as number)));
      expect(smaller.length).toBeGreaterThan(0);
      expect(smaller.filter((service) => !larger.has(service))).toEqual([]);
    }
  });

  it('routes about the share of services at each stage, none at 0 and all at 1', () => {
    for (const share of STAGES) {
      const routed = services.filter((service) => inCanary('acme', service, share)).length / services.length;
      expect(Math.abs(routed - share)).toBeLessThan(0.03);
    }
    expect(services.some((service) => inCanary('acme', service, 0))).toBe(false);
    expect(services.every((service) => inCanary('acme', service, 1))).toBe(true);
  });

  it('chooses other services for another tenant', () => {
    const acme = services.filter((service) => inCanary('acme', service, 0.25));
    const globex = new Set(services.filter((service) => inCanary('globex', service, 0.25)));
    expect(acme.filter((service) => globex.has(service)).length).toBeLessThan(acme.length * 0.4);
  });
});
