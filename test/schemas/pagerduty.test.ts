import { describe, expect, it } from 'vitest';
import { parsePagerDutyEvent } from '../../schemas/pagerduty.js';
import { expectFieldError, fixture, valueOf } from './fixtures.js';

const context = { tenant: 'acme', receivedAt: Date.UTC(2024, 4, 1, 12) };
const alertOf = (result: ReturnType<typeof parsePagerDutyEvent>) => valueOf(result).alert;
const trigger = (payload: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
  routing_key: 'R0UT1NGKEY',
  event_action: 'trigger',
  dedup_key: 'disk-full/db-1',
  payload: { summary: 'Disk 95% full on db-1', source: 'db-1.prod', severity: 'error', timestamp: '2024-05-01T11:59:00Z', ...payload },
  ...extra,
});

describe('parsePagerDutyEvent', () => {
  it('maps PagerDuty\'s documented trigger example', () => {
    const alert = alertOf(parsePagerDutyEvent(fixture('pagerduty-trigger.json'), context));
    expect(alert).toMatchObject({
      tenant: 'acme',
      source: 'pagerduty',
      name: 'deploy',
      service: 'prod-datapipe',
      severity: 'info',
      status: 'firing',
      startsAt: Date.parse('2015-07-17T08:42:58.315Z'),
      endsAt: null,
      summary: 'Example alert on host1.example.com',
      value: null,
    });
    expect(alert.labels).toEqual({
      class: 'deploy',
      component: 'postgres',
      group: 'prod-datapipe',
      load_avg: '0.75',
      owner: '<email>',
      source: 'monitoringtool:cloudvendor:central-region-dc-01:852559987:cluster/api-stats-prod-003',
    });
    expect(JSON.stringify(alert)).not.toContain('samplekeyhere');
  });

  it('maps PagerDuty\'s documented resolve example (no payload) onto a resolved alert of the same series', () => {
    const firing = alertOf(parsePagerDutyEvent(fixture('pagerduty-trigger.json'), context));
    const resolved = alertOf(parsePagerDutyEvent(fixture('pagerduty-resolve.json'), context));
    expect(resolved).toMatchObject({ status: 'resolved', startsAt: context.receivedAt, endsAt: context.receivedAt, name: 'unknown', service: 'unknown', severity: 'info', fingerprint: firing.fingerprint });
  });

  it('refuses acknowledge with a message explaining why', () => {
    const error = expectFieldError(parsePagerDutyEvent(fixture('pagerduty-acknowledge.json'), context), 'event_action');
    expect(error.message).toContain('not accepted');
  });

  it('rejects other or missing event actions', () => {
    expectFieldError(parsePagerDutyEvent(trigger({}, { event_action: 'escalate' }), context), 'event_action');
    expectFieldError(parsePagerDutyEvent(trigger({}, { event_action: undefined }), context), 'event_action');
  });

  it('falls back from class to summary for the name, and from group to component to source for the service', () => {
    expect(alertOf(parsePagerDutyEvent(trigger(), context))).toMatchObject({ name: 'Disk 95% full on db-1', service: 'db-1.prod' });
    expect(alertOf(parsePagerDutyEvent(trigger({ component: 'postgres' }), context)).service).toBe('postgres');
    expect(alertOf(parsePagerDutyEvent(trigger({ summary: 'multi\nline\tsummary for ops@example.com' }), context)).name).toBe('multi line summary for <email>');
    expect(alertOf(parsePagerDutyEvent(trigger({ source: '10.1.2.3' }), context)).service).toBe('<ip>');
  });

  it('strips PII from the summary and from names derived from it', () => {
    const alert = alertOf(parsePagerDutyEvent(trigger({ summary: 'login storm from 198.51.100.7' }), context));
    expect(alert.summary).toBe('login storm from <ip>');
    expect(alert.name).toBe('login storm from <ip>');
  });

  it('gives a retried trigger the same id and different triggers of one dedup_key different ids', () => {
    const a = alertOf(parsePagerDutyEvent(trigger(), context));
    const retry = alertOf(parsePagerDutyEvent(trigger(), context));
    const again = alertOf(parsePagerDutyEvent(trigger({ timestamp: '2024-05-01T13:00:00Z' }), context));
    expect(retry.id).toBe(a.id);
    expect(again.fingerprint).toBe(a.fingerprint);
    expect(again.id).not.toBe(a.id);
  });

  it('uses the receipt time when the trigger has no timestamp', () => {
    expect(alertOf(parsePagerDutyEvent(trigger({ timestamp: undefined }), context)).startsAt).toBe(context.receivedAt);
    const before = Date.now();
    const startsAt = alertOf(parsePagerDutyEvent(trigger({ timestamp: null }), { tenant: 'acme' })).startsAt;
    expect(startsAt).toBeGreaterThanOrEqual(before);
  });

  it('accepts the +0000 offset PagerDuty documents but rejects non-timestamps', () => {
    expect(alertOf(parsePagerDutyEvent(trigger({ timestamp: '2024-05-01T12:00:00.5+0200' }), context)).startsAt).toBe(Date.UTC(2024, 4, 1, 10, 0, 0, 500));
    expectFieldError(parsePagerDutyEvent(trigger({ timestamp: 'now' }), context), 'payload.timestamp');
  });

  it('hashes the label set into the fingerprint when there is no dedup_key', () => {
    const a = alertOf(parsePagerDutyEvent(trigger({}, { dedup_key: undefined }), context));
    expect(a.fingerprint).toMatch(/^[0-9a-f]{32}$/);
  });

  it('keeps payload fields of a resolve event that carries them', () => {
    const resolved = alertOf(parsePagerDutyEvent(trigger({ class: 'disk' }, { event_action: 'resolve' }), context));
    expect(resolved).toMatchObject({ status: 'resolved', name: 'disk', severity: 'error', endsAt: Date.parse('2024-05-01T11:59:00Z') });
  });

  it('keeps only scalar custom details with valid label names, up to 64 labels', () => {
    const details = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`d${i}`, i % 2 === 0 ? i : `v${i}`]));
    const alert = alertOf(parsePagerDutyEvent(trigger({ custom_details: { ...details, flag: true, 'bad key': 'x', __proto__x: 'y', source: 'override', nan: Number.NaN } }), context));
    expect(Object.keys(alert.labels)).toHaveLength(64);
    expect(alert.labels.source).toBe('db-1.prod');
    expect(alert.labels.d0).toBe('0');
    expect(alertOf(parsePagerDutyEvent(trigger({ custom_details: 'free text' }), context)).labels).toEqual({ source: 'db-1.prod' });
  });

  it.each([
    ['payload', { payload: undefined }],
    ['payload', { payload: 'x' }],
    ['dedup_key', { dedup_key: '' }],
    ['dedup_key', { dedup_key: 'k'.repeat(256) }],
    ['dedup_key', { dedup_key: 42 }],
    ['tenant', { tenant: 'globex' }],
  ])('rejects a bad %s', (field, extra) => {
    const result = parsePagerDutyEvent({ ...trigger(), ...extra }, context);
    expectFieldError(result, field, field === 'tenant' ? 'HUSH_ERR_FORBIDDEN_TENANT' : 'HUSH_ERR_VALIDATION');
  });

  it.each([
    ['payload.summary', { summary: undefined }],
    ['payload.summary', { summary: 3 }],
    ['payload.source', { source: undefined }],
    ['payload.source', { source: 'x'.repeat(1025) }],
    ['payload.severity', { severity: 'sev1' }],
    ['payload.severity', { severity: undefined }],
    ['payload.class', { class: 'bad \ud800' }],
    ['payload.group', { group: '\ufffd' }],
    ['payload.component', { component: ['x'] }],
  ])('rejects a trigger with bad %s', (field, payload) => {
    expectFieldError(parsePagerDutyEvent(trigger(payload), context), field);
  });

  it('requires a dedup_key to resolve', () => {
    expectFieldError(parsePagerDutyEvent({ event_action: 'resolve' }, context), 'dedup_key');
  });

  it('rejects a blank summary-derived name', () => {
    expectFieldError(parsePagerDutyEvent(trigger({ summary: '\n\t ' }), context), 'payload.summary');
  });

  it.each([null, 'x', [trigger()]])('rejects a non-object event %j', (input) => {
    expectFieldError(parsePagerDutyEvent(input, context), '(root)');
  });
});
