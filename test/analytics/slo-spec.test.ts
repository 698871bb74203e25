import { describe, expect, it } from 'vitest';
import { BURN_RATE_ALERTS, BURN_RATE_WINDOWS_MINUTES } from '../../shared/slo/burn-rate-windows.js';
import { SLO_SPEC, SLO_SPEC_VERSION, resolveTenantSlos, validateSloSpec, type SloSpec } from '../../shared/slo/slos.js';

function withTenants(tenants: Record<string, unknown>): SloSpec {
  return { ...SLO_SPEC, tenants: tenants as SloSpec['tenants'] };
}

describe('SLOs as code', () => {
  it('declares the promised objectives with 30-day windows and error budgets', () => {
    const slos = resolveTenantSlos('any-tenant');
    expect(SLO_SPEC.version).toBe(SLO_SPEC_VERSION);
    expect(slos.noise_reduction).toMatchObject({ objective: 0.45, windowDays: 30 });
    expect(slos.noise_reduction.errorBudget).toBeCloseTo(0.55, 12);
    expect(slos.false_negatives.errorBudget).toBeCloseTo(0.015, 12);
    expect(slos.e2e_latency).toMatchObject({ objective: 0.95, threshold: 140 });
    expect(slos.inference_latency).toMatchObject({ objective: 0.99, threshold: 15 });
    expect(slos.freshness).toMatchObject({ windowDays: 30, threshold: 60 });
  });

  it('applies a tenant override field by field over the defaults', () => {
    const spec = validateSloSpec(withTenants({ acme: { noise_reduction: { objective: 0.6 }, e2e_latency: { threshold: 250, windowDays: 7 } } }));
    const acme = resolveTenantSlos('acme', spec);
    expect(acme.noise_reduction).toMatchObject({ objective: 0.6, windowDays: 30 });
    expect(acme.e2e_latency).toMatchObject({ objective: 0.95, windowDays: 7, threshold: 250 });
    expect(resolveTenantSlos('other', spec).noise_reduction.objective).toBe(0.45);
  });

  it('refuses a bad override and names where it is', () => {
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ acme: { noise_reduction: { objective: 1.2 } } }, /tenants\.acme\.noise_reduction\.objective: must be a number in \(0, 1\)/],
      [{ acme: { false_negatives: { windowDays: 0 } } }, /tenants\.acme\.false_negatives\.windowDays/],
      [{ acme: { e2e_latency: { threshold: 130 } } }, /tenants\.acme\.e2e_latency\.threshold: must be one of the rollup bounds/],
      [{ acme: { noise_reduction: { threshold: 5 } } }, /noise_reduction takes no threshold/],
      [{ acme: { uptime: { objective: 0.9 } } }, /tenants\.acme\.uptime: is not a known SLO/],
      [{ acme: { freshness: { objectve: 0.9 } } }, /tenants\.acme\.freshness\.objectve: is not a known field/],
      [{ 'Bad Tenant': {} }, /not a valid tenant name/],
    ];
    for (const [tenants, message] of bad) expect(() => validateSloSpec(withTenants(tenants))).toThrow(message);
    expect(() => validateSloSpec({ ...SLO_SPEC, version: 0 })).toThrow(/version: must be 1/);
    try {
      validateSloSpec(withTenants({ acme: { noise_reduction: { objective: 0 } } }));
    } catch (error) {
      expect(error).toMatchObject({ code: 'HUSH_ERR_CONFIG' });
    }
  });

  it('uses the SRE workbook burn-rate pairs', () => {
    expect(BURN_RATE_ALERTS.map((a) => [a.longMinutes, a.shortMinutes, a.burnRate])).toEqual([[60, 5, 14.4], [360, 30, 6], [4320, 360, 1]]);
    expect(BURN_RATE_WINDOWS_MINUTES).toEqual([5, 30, 60, 360, 4320]);
  });
});
