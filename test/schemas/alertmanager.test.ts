import { describe, expect, it } from 'vitest';
import { SERVICE_LABELS, parseAlertmanagerWebhook } from '../../schemas/alertmanager.js';
import { computeAlertId } from '../../schemas/alert-identity.js';
import { errorOf, expectFieldError, fixture, valueOf } from './fixtures.js';

const context = { tenant: 'acme' };
const alert = (overrides: Record<string, unknown> = {}, labels: Record<string, unknown> = {}) => ({
  status: 'firing',
  labels: { alertname: 'HighLatency', job: 'api', severity: 'critical', ...labels },
  annotations: { summary: 'p99 above 2s' },
  startsAt: '2024-05-01T12:00:00Z',
  endsAt: '0001-01-01T00:00:00Z',
  fingerprint: 'abc123',
  ...overrides,
});
const webhook = (alerts: unknown[], extra: Record<string, unknown> = {}) => ({ version: '4', status: 'firing', receiver: 'hush', alerts, ...extra });
const single = (input: unknown) => {
  const results = valueOf(parseAlertmanagerWebhook(webhook([input]), context));
  expect(results).toHaveLength(1);
  return results[0]!;
};

describe('parseAlertmanagerWebhook', () => {
  it('maps a real firing webhook: one alert per entry, commonLabels merged, PII stripped', () => {
    const [probe, crash] = valueOf(parseAlertmanagerWebhook(fixture('alertmanager-firing.json'), context)).map(valueOf);
    expect(probe).toEqual({
      id: computeAlertId('1a30ba71cca2921f', Date.parse('2023-02-06T13:08:45.828Z')),
      tenant: 'acme',
      source: 'alertmanager',
      name: 'ProbeFailure',
      service: 'http_checks',
      severity: 'critical',
      status: 'firing',
      startsAt: Date.parse('2023-02-06T13:08:45.828Z'),
      endsAt: null,
      summary: 'BlackBox Probe Failure: https://server.example.org',
      labels: { alertname: 'ProbeFailure', cluster: 'eu-west-1', instance: 'https://server.example.org', job: 'http_checks', monitor: 'master', severity: 'critical' },
      value: null,
      fingerprint: '1a30ba71cca2921f',
    });
    expect(crash).toMatchObject({
      name: 'KubePodCrashLooping',
      service: 'payments',
      severity: 'warning',
      startsAt: Date.parse('2024-05-01T10:00:00.123Z'),
      endsAt: null,
      summary: 'Pod payments/checkout-7d9f8c6b5-x2x9z (checkout) is restarting 1.05 times / 10 minutes. Paged <email>.',
    });
    expect(crash?.labels.instance).toBe('<ip>:8080');
  });

  it('gives the resolved notification the firing notification\'s id, and keeps its endsAt', () => {
    const [firing] = valueOf(parseAlertmanagerWebhook(fixture('alertmanager-firing.json'), context)).map(valueOf);
    const [resolved] = valueOf(parseAlertmanagerWebhook(fixture('alertmanager-resolved.json'), context)).map(valueOf);
    expect(resolved?.id).toBe(firing?.id);
    expect(resolved).toMatchObject({ status: 'resolved', endsAt: Date.parse('2023-02-06T13:20:45.828Z') });
  });

  it(`takes the service from ${SERVICE_LABELS.join(' ?? ')}, in that order`, () => {
    expect(valueOf(single(alert({}, { service: 'svc', job: 'job', namespace: 'ns' }))).service).toBe('svc');
    expect(valueOf(single(alert({}, { job: 'job', namespace: 'ns' }))).service).toBe('job');
    expect(valueOf(single(alert({ labels: { alertname: 'A', severity: 'info', namespace: 'ns' } }))).service).toBe('ns');
  });

  it('rejects an alert without any service label', () => {
    const error = expectFieldError(single(alert({ labels: { alertname: 'A', severity: 'info' } })), 'labels.service');
    expect(error.message).toContain('service, job, namespace');
  });

  it.each([
    ['critical', 'critical'], ['page', 'critical'], ['error', 'error'], ['high', 'error'], ['warning', 'warning'], ['warn', 'warning'],
    ['medium', 'warning'], ['info', 'info'], ['low', 'info'], ['none', 'info'], ['Critical', 'critical'], ['WARN', 'warning'],
  ])('maps severity %s to %s', (word, severity) => {
    expect(valueOf(single(alert({}, { severity: word }))).severity).toBe(severity);
  });

  it('rejects an unknown or missing severity on labels.severity', () => {
    expectFieldError(single(alert({}, { severity: 'disaster' })), 'labels.severity');
    expectFieldError(single(alert({ labels: { alertname: 'A', job: 'j' } })), 'labels.severity');
  });

  it('rejects an alert without alertname', () => {
    expectFieldError(single(alert({ labels: { job: 'j', severity: 'info' } })), 'labels.alertname');
  });

  it('uses the description when there is no summary, and an empty summary when neither exists', () => {
    expect(valueOf(single(alert({ annotations: { description: 'details' } }))).summary).toBe('details');
    expect(valueOf(single(alert({ annotations: { summary: '', description: 'd' } }))).summary).toBe('d');
    expect(valueOf(single(alert({ annotations: undefined }))).summary).toBe('');
  });

  it('cuts a long description to 2048 bytes instead of refusing the alert', () => {
    const summary = valueOf(single(alert({ annotations: { description: 'ü'.repeat(5000) } }))).summary;
    expect(Buffer.byteLength(summary)).toBe(2048);
  });

  it('rejects non-string annotations', () => {
    expectFieldError(single(alert({ annotations: { summary: 5 } })), 'annotations.summary');
    expectFieldError(single(alert({ annotations: 'text' })), 'annotations');
  });

  it('computes a fingerprint from the labels when Alertmanager sent none', () => {
    const a = valueOf(single(alert({ fingerprint: undefined })));
    const b = valueOf(single(alert({ fingerprint: undefined }, { instance: 'other' })));
    expect(a.fingerprint).toMatch(/^[0-9a-f]{32}$/);
    expect(a.fingerprint).not.toBe(b.fingerprint);
  });

  it('nulls the endsAt of a firing alert (zero time or resolve-timeout estimate)', () => {
    expect(valueOf(single(alert({ endsAt: '2030-01-01T00:00:00Z' }))).endsAt).toBeNull();
    expect(valueOf(single(alert({ endsAt: undefined }))).endsAt).toBeNull();
  });

  it('rejects a resolved alert that ends before it starts, and malformed times', () => {
    expectFieldError(single(alert({ status: 'resolved', endsAt: '2024-05-01T11:00:00Z' })), 'endsAt');
    expectFieldError(single(alert({ endsAt: 'later' })), 'endsAt');
    expectFieldError(single(alert({ startsAt: '0001-01-01T00:00:00Z' })), 'startsAt');
  });

  it.each([
    ['status', { status: 'pending' }],
    ['fingerprint', { fingerprint: 'x'.repeat(129) }],
    ['labels', { labels: 'alertname=A' }],
    ['labels.team', { labels: { alertname: 'A', job: 'j', severity: 'info', team: 3 } }],
    ['labels.alertname', { labels: { alertname: 'bad\u0000name', job: 'j', severity: 'info' } }],
  ])('rejects a bad %s in one alert without rejecting the others', (field, overrides) => {
    const results = valueOf(parseAlertmanagerWebhook(webhook([alert(), alert(overrides)]), context));
    expect(results[0]?.ok).toBe(true);
    expectFieldError(results[1]!, field);
  });

  it('rejects a non-object entry of alerts on (root) of that entry', () => {
    const results = valueOf(parseAlertmanagerWebhook(webhook([null, 5]), context));
    for (const result of results) expectFieldError(result, '(root)');
  });

  it('accepts an empty alerts array', () => {
    expect(valueOf(parseAlertmanagerWebhook(webhook([]), context))).toEqual([]);
  });

  it.each([
    ['version', { version: '3' }],
    ['version', { version: 4 }],
    ['alerts', { alerts: {} }],
    ['commonLabels', { commonLabels: [] }],
    ['commonLabels', { commonLabels: { 'bad-key': 'x' } }],
  ])('rejects the whole payload for a bad %s', (field, extra) => {
    expectFieldError(parseAlertmanagerWebhook({ ...webhook([alert()]), ...extra }, context), field);
  });

  it('rejects a payload without version or for another tenant', () => {
    expectFieldError(parseAlertmanagerWebhook({ alerts: [] }, context), 'version');
    expectFieldError(parseAlertmanagerWebhook(webhook([], { tenant: 'globex' }), context), 'tenant', 'HUSH_ERR_FORBIDDEN_TENANT');
  });

  it.each([null, [], 'x', 3])('rejects a non-object payload %j', (input) => {
    expect(errorOf(parseAlertmanagerWebhook(input, context)).field).toBe('(root)');
  });
});
