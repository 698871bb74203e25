import { FormatRegistry } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import {
  AlertWireSchema,
  AlertmanagerWebhookSchema,
  ErrorBodySchema,
  OutcomeWireSchema,
  PagerDutyEventSchema,
} from '../../schemas/json-schemas.js';
import { parseRfc3339 } from '../../schemas/rfc3339.js';
import { fixture } from './fixtures.js';

if (!FormatRegistry.Has('date-time')) FormatRegistry.Set('date-time', (text) => parseRfc3339(text) !== null);

describe('JSON schemas for the OpenAPI document', () => {
  it('describe the same payloads the parsers accept', () => {
    expect(Value.Check(AlertmanagerWebhookSchema, fixture('alertmanager-firing.json'))).toBe(true);
    expect(Value.Check(AlertmanagerWebhookSchema, fixture('alertmanager-resolved.json'))).toBe(true);
    expect(Value.Check(PagerDutyEventSchema, fixture('pagerduty-trigger.json'))).toBe(true);
    expect(Value.Check(PagerDutyEventSchema, fixture('pagerduty-resolve.json'))).toBe(true);
    const alert = { source: 'prometheus', name: 'n', service: 's', severity: 'info', status: 'firing', startsAt: '2024-05-01T12:00:00Z', labels: { team: 'a' }, extra: 1 };
    expect(Value.Check(AlertWireSchema, alert)).toBe(true);
    expect(Value.Check(OutcomeWireSchema, { alertId: 'a', outcome: 'noise', at: '2024-05-01T12:00:00Z', source: 'auto' })).toBe(true);
    expect(Value.Check(ErrorBodySchema, { code: 'HUSH_ERR_VALIDATION', message: 'startsAt must be …' })).toBe(true);
  });

  it('document what the parsers refuse', () => {
    expect(Value.Check(PagerDutyEventSchema, fixture('pagerduty-acknowledge.json'))).toBe(false);
    expect(Value.Check(AlertmanagerWebhookSchema, { ...fixture('alertmanager-firing.json'), version: '3' })).toBe(false);
    expect(Value.Check(AlertWireSchema, { source: 'p', name: 'n', service: 's', severity: 'fatal', status: 'firing', startsAt: '2024-05-01T12:00:00Z' })).toBe(false);
    expect(Value.Check(AlertWireSchema, { source: 'p', name: 'n', service: 's', severity: 'info', status: 'firing', startsAt: 'yesterday' })).toBe(false);
  });

  it('are plain JSON Schema objects', () => {
    const plain = JSON.parse(JSON.stringify(AlertWireSchema)) as Record<string, unknown>;
    expect(plain.type).toBe('object');
    expect(plain.required).toEqual(['source', 'name', 'service', 'severity', 'status', 'startsAt']);
  });
});
