import { UnrecoverableError } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { guardOutcomesJob } from '../../workers/outcomes/outcomes-job-guard.js';
import { guardAlertsJob } from '../../workers/scoring/alerts-job-guard.js';
import { firingAlert } from './worker-fixture.js';

function rejection(fn: () => unknown): UnrecoverableError {
  try {
    fn();
  } catch (thrown) {
    expect(thrown).toBeInstanceOf(UnrecoverableError);
    return thrown as UnrecoverableError;
  }
  throw new Error('expected the guard to reject');
}

describe('guardAlertsJob', () => {
  it('passes well-formed alerts through in order', () => {
    const alerts = [firingAlert('acme', 0), { ...firingAlert('acme', 10), status: 'resolved' as const, endsAt: 1, value: null }];
    expect(guardAlertsJob({ alerts, enqueuedAt: 1 })).toEqual(alerts);
  });

  it('strips PII from the summary and label values again', () => {
    const alert = firingAlert('acme', 0, { summary: 'mail alice@example.com now', labels: { host: '10.20.30.40', team: 'payments' } });
    const [guarded] = guardAlertsJob({ alerts: [alert] });
    expect(guarded?.summary).not.toContain('alice@example.com');
    expect(guarded?.labels.host).not.toContain('10.20.30.40');
    expect(guarded?.labels.team).toBe('payments');
    expect(alert.summary).toContain('alice@example.com');
  });

  it.each([null, undefined, 'text', {}, { alerts: [] }, { alerts: 'x' }])('rejects a job without a non-empty alerts array (%j)', (data) => {
    expect(rejection(() => guardAlertsJob(data)).message).toBe('alerts job must carry a non-empty "alerts" array');
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['id', { id: '' }, 'alerts[1].id must be a non-empty string'],
    ['source', { source: 7 }, 'alerts[1].source must be a non-empty string'],
    ['name', { name: undefined }, 'alerts[1].name must be a non-empty string'],
    ['service', { service: null }, 'alerts[1].service must be a non-empty string'],
    ['fingerprint', { fingerprint: '' }, 'alerts[1].fingerprint must be a non-empty string'],
    ['tenant', { tenant: 'ACME' }, 'alerts[1].tenant must be a tenant matching'],
    ['severity', { severity: 'fatal' }, 'alerts[1].severity must be critical|error|warning|info'],
    ['status', { status: 'open' }, 'alerts[1].status must be firing|resolved'],
    ['startsAt', { startsAt: '2024-01-01' }, 'alerts[1].startsAt must be epoch milliseconds'],
    ['startsAt', { startsAt: Number.NaN }, 'alerts[1].startsAt must be epoch milliseconds'],
    ['endsAt', { endsAt: Infinity }, 'alerts[1].endsAt must be epoch milliseconds or null'],
    ['value', { value: '3' }, 'alerts[1].value must be a finite number or null'],
    ['summary', { summary: 42 }, 'alerts[1].summary must be a string'],
    ['labels', { labels: ['a'] }, 'alerts[1].labels must be an object of strings'],
    ['labels', { labels: null }, 'alerts[1].labels must be an object of strings'],
    ['a label value', { labels: { team: 5 } }, 'alerts[1].labels.team must be a string'],
  ])('rejects a malformed %s naming the field and index', (_what, override, message) => {
    const data = { alerts: [firingAlert('acme', 0), { ...firingAlert('acme', 1), ...override }] };
    expect(rejection(() => guardAlertsJob(data)).message).toContain(message);
  });

  it('rejects an entry that is not an object', () => {
    expect(rejection(() => guardAlertsJob({ alerts: [null] })).message).toBe('alerts[0]. must be an object');
  });
});

describe('guardOutcomesJob', () => {
  const outcome = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({ tenant: 'acme', alertId: 'a-1', outcome: 'noise', source: 'human', at: 1_700_000_000_000, ...overrides });

  it('passes well-formed outcomes through', () => {
    const outcomes = [outcome(), outcome({ alertId: 'a-2', outcome: 'actionable', source: 'incident' })];
    expect(guardOutcomesJob({ outcomes })).toEqual(outcomes);
  });

  it.each([null, {}, { outcomes: [] }, { outcomes: {} }])('rejects a job without a non-empty outcomes array (%j)', (data) => {
    expect(rejection(() => guardOutcomesJob(data)).message).toBe('outcomes job must carry a non-empty "outcomes" array');
  });

  it.each<[Record<string, unknown>, string]>([
    [{ tenant: 'Acme Corp' }, 'outcomes[1].tenant must be a tenant matching'],
    [{ alertId: '' }, 'outcomes[1].alertId must be a non-empty string'],
    [{ outcome: 'useful' }, 'outcomes[1].outcome must be actionable|noise'],
    [{ source: 'robot' }, 'outcomes[1].source must be human|incident|auto'],
    [{ at: '2024-05-01T00:00:00Z' }, 'outcomes[1].at must be epoch milliseconds'],
  ])('rejects %j naming the field and index', (override, message) => {
    expect(rejection(() => guardOutcomesJob({ outcomes: [outcome(), outcome(override)] })).message).toContain(message);
  });

  it('rejects an entry that is not an object by its first missing field', () => {
    expect(rejection(() => guardOutcomesJob({ outcomes: ['x'] })).message).toContain('outcomes[0].tenant');
  });
});
