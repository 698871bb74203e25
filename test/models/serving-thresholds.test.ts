import { describe, expect, it } from 'vitest';
import { RECERTIFIED_EVIDENCE_KEY } from '../../shared/evaluation/serving-baseline.js';
import type { ModelEvent } from '../../shared/models/model-registry.js';
import { servingThresholds } from '../../shared/models/serving-thresholds.js';

const event = (at: string, action: ModelEvent['action'], modelId: string, evidence: Record<string, unknown> = {}): ModelEvent =>
  ({ at, action, modelId, previousModelId: '', reason: 'test', evidence });
/** The optimiser's decisions as judgeChallenger records them. */
const decisions = (tenant: number, services: Record<string, [number, string]> = {}) => ({
  tenant: { threshold: tenant, reason: 'optimised', detail: '…' },
  services: Object.fromEntries(Object.entries(services).map(([service, [threshold, reason]]) => [service, { threshold, reason, detail: '…' }])),
});
const promote = event('2026-01-01T00:00:00.000Z', 'promote', 'm1', { challenger: { noiseReduction: 0.2 }, thresholds: decisions(0.3, { checkout: [0.4, 'optimised'], search: [0.3, 'too-few-labels'] }) });

describe('serving thresholds (what a model serves with, from the registry history)', () => {
  it("are the optimiser's decisions its promotion recorded, the tenant-wide one under ''", () => {
    expect(servingThresholds([promote], 'm1')).toEqual({ byService: new Map([['', 0.3], ['checkout', 0.4], ['search', 0.3]]), source: 'promotion', at: promote.at });
  });

  it('are those of a later re-certification when an evaluation kept the model', () => {
    const kept = event('2026-01-03T00:00:00.000Z', 'reject', 'm2', { [RECERTIFIED_EVIDENCE_KEY]: { modelId: 'm1', noiseReduction: 0.1, thresholds: decisions(0.1) } });
    expect(servingThresholds([promote, kept], 'm1')).toEqual({ byService: new Map([['', 0.1]]), source: 're-certification', at: kept.at });
  });

  it('are those of a later scheduled re-certification, through a rollback that reinstated the model', () => {
    const recertified = event('2026-01-10T00:00:00.000Z', 'recertify', 'm1', { [RECERTIFIED_EVIDENCE_KEY]: { modelId: 'm1', noiseReduction: 0.25, thresholds: decisions(0.2, { checkout: [0.35, 'optimised'] }) } });
    const other = event('2026-01-11T00:00:00.000Z', 'promote', 'm2', { thresholds: decisions(0.9) });
    const otherRecertified = event('2026-01-12T00:00:00.000Z', 'recertify', 'm2', { [RECERTIFIED_EVIDENCE_KEY]: { modelId: 'm2', thresholds: decisions(0.8) } });
    const rollback = event('2026-01-13T00:00:00.000Z', 'rollback', 'm1', { live: { noiseReduction: 0.01 } });
    expect(servingThresholds([promote, recertified, other, otherRecertified, rollback], 'm1')).toEqual({ byService: new Map([['', 0.2], ['checkout', 0.35]]), source: 're-certification', at: recertified.at });
  });

  it("pass over a promotion by hand, rollbacks, and other models' events", () => {
    const other = event('2026-01-02T00:00:00.000Z', 'promote', 'm2', { thresholds: decisions(0.9) });
    const otherKept = event('2026-01-03T00:00:00.000Z', 'reject', 'm3', { [RECERTIFIED_EVIDENCE_KEY]: { modelId: 'm2', thresholds: decisions(0.8) } });
    const rollback = event('2026-01-04T00:00:00.000Z', 'rollback', 'm1', { live: { noiseReduction: 0.01 } });
    const byHand = event('2026-01-05T00:00:00.000Z', 'promote', 'm1', { requestedBy: 'api' });
    expect(servingThresholds([promote, other, otherKept, rollback, byHand], 'm1')).toMatchObject({ source: 'promotion', at: promote.at, byService: new Map([['', 0.3], ['checkout', 0.4], ['search', 0.3]]) });
  });

  it('leave out services the optimiser reported as pinned: those values are a person\'s', () => {
    const withPin = event(promote.at, 'promote', 'm1', { thresholds: decisions(0.3, { payments: [0.9, 'pinned'], checkout: [0.4, 'optimised'] }) });
    expect(servingThresholds([withPin], 'm1')?.byService).toEqual(new Map([['', 0.3], ['checkout', 0.4]]));
  });

  it('are null for a model never evaluated, or at cold start, and skip malformed decisions', () => {
    expect(servingThresholds([event(promote.at, 'promote', 'm1', { requestedBy: 'api' })], 'm1')).toBeNull();
    expect(servingThresholds([], 'm1')).toBeNull();
    for (const thresholds of [{ tenant: { threshold: 1.5 }, services: {} }, { tenant: { threshold: 0.3 } }, { tenant: { threshold: 0.3 }, services: { api: { threshold: 'high' } } }, { tenant: { threshold: 0.3 }, services: { '': { threshold: 0.2 } } }]) {
      expect(servingThresholds([event(promote.at, 'promote', 'm1', { thresholds })], 'm1'), JSON.stringify(thresholds)).toBeNull();
    }
  });
});
