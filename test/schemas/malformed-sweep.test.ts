import { describe, expect, it } from 'vitest';
import { parseAlertmanagerWebhook } from '../../schemas/alertmanager.js';
import { parseAlert } from '../../schemas/parse-alert.js';
import { parseOutcome } from '../../schemas/parse-outcome.js';
import type { ParseResult } from '../../schemas/parse-result.js';
import { parsePagerDutyEvent } from '../../schemas/pagerduty.js';

/** mulberry32: small, seeded, reproducible. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEED = 20240501;
const next = random(SEED);
const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;

const hostileStrings = [
  '', ' ', '\u0000', '\ud800', '\udc00x', '\ufffd', 'é'.repeat(3000), 'x'.repeat(70_000), "'; DROP TABLE alerts; --", '"\\', '__proto__', 'constructor',
  'prototype', '${jndi:ldap://x}', '<script>', '0001-01-01T00:00:00Z', '2024-05-01T12:00:00Z', '2024-02-30T00:00:00Z', 'critical', 'firing', 'resolved',
  'trigger', 'resolve', 'acknowledge', '4', 'acme', 'ACME', 'jane@example.com', '10.0.0.1', '\u202e', '🙂', 'NaN', '-0', 'null',
];

function nested(depth: number): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i++) value = next() < 0.5 ? [value] : { child: value };
  return value;
}

function garbage(depth = 0): unknown {
  switch (Math.floor(next() * 12)) {
    case 0: return null;
    case 1: return undefined;
    case 2: return pick([0, -1, 1e308, Number.NaN, Number.POSITIVE_INFINITY, 1714564800000, 4, -0]);
    case 3: return next() < 0.5;
    case 4:
    case 5:
    case 6: return pick(hostileStrings);
    case 7: return depth > 2 ? [] : Array.from({ length: Math.floor(next() * 4) }, () => garbage(depth + 1));
    case 8: return nested(Math.floor(next() * 2000));
    case 9: return JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}') as unknown;
    default: return depth > 2 ? {} : Object.fromEntries(Array.from({ length: Math.floor(next() * 5) }, () => [pick(hostileStrings), garbage(depth + 1)]));
  }
}

/** Starts from a valid value and breaks some fields, so the sweep reaches deep validation paths. */
function mutate(base: Record<string, unknown>): unknown {
  const copy: Record<string, unknown> = { ...base };
  const keys = Object.keys(copy);
  const changes = 1 + Math.floor(next() * 3);
  for (let i = 0; i < changes; i++) {
    const roll = next();
    if (roll < 0.15) delete copy[pick(keys)];
    else if (roll < 0.9) copy[pick(keys)] = garbage();
    else copy[pick(hostileStrings)] = garbage();
  }
  return copy;
}

const validAlert = { source: 'prometheus', name: 'n', service: 's', severity: 'info', status: 'firing', startsAt: '2024-05-01T12:00:00Z', labels: { a: 'b' }, summary: 's', value: 1, tenant: 'acme' };
const validOutcome = { alertId: 'a', outcome: 'noise', at: '2024-05-01T12:00:00Z', source: 'auto' };
const amAlert = () => mutate({ status: 'firing', labels: mutate({ alertname: 'A', job: 'j', severity: 'warning' }), annotations: mutate({ summary: 'x' }), startsAt: '2024-05-01T12:00:00Z', endsAt: '0001-01-01T00:00:00Z', fingerprint: 'f' });
const validPd = { event_action: 'trigger', dedup_key: 'k', routing_key: 'r', payload: { summary: 's', source: 'h', severity: 'info', timestamp: '2024-05-01T12:00:00+0000', custom_details: { a: 1 } } };

function input(kind: number): unknown {
  const roll = next();
  if (roll < 0.15) return garbage();
  switch (kind) {
    case 0: return mutate(validAlert);
    case 1: return mutate(validOutcome);
    case 2: return mutate({ version: '4', alerts: Array.from({ length: 1 + Math.floor(next() * 3) }, amAlert), commonLabels: next() < 0.8 ? { x: 'y' } : garbage() });
    default: return next() < 0.5 ? mutate(validPd) : { ...validPd, payload: mutate(validPd.payload) };
  }
}

function expectWellFormed(result: ParseResult<unknown>): void {
  expect(typeof result.ok).toBe('boolean');
  if (!result.ok) {
    expect(['HUSH_ERR_VALIDATION', 'HUSH_ERR_FORBIDDEN_TENANT']).toContain(result.error.code);
    expect(result.error.field).toMatch(/^(\(root\)|[A-Za-z_][\w.]*)$/);
    expect(result.error.message.length).toBeGreaterThan(0);
    expect(result.error.message.length).toBeLessThan(400);
  }
}

describe(`a seeded sweep of 10,000 malformed inputs (seed ${SEED})`, () => {
  it('never throws and always answers ok or a FieldError naming a field', () => {
    const parsers = [parseAlert, parseOutcome, parseAlertmanagerWebhook, parsePagerDutyEvent] as const;
    const counts = { ok: 0, error: 0 };
    for (let i = 0; i < 10_000; i++) {
      const kind = i % 4;
      const value = input(kind);
      const context = { tenant: next() < 0.95 ? 'acme' : (pick(hostileStrings) as string), receivedAt: 1714564800000 };
      let result: ParseResult<unknown>;
      try {
        result = (parsers[kind] as (input: unknown, context: { tenant: string }) => ParseResult<unknown>)(value, context);
      } catch (thrown) {
        throw new Error(`parser ${kind} threw on sweep input ${i}: ${String(thrown)}`);
      }
      expectWellFormed(result);
      if (kind === 2 && result.ok) for (const inner of result.value as ParseResult<unknown>[]) expectWellFormed(inner);
      counts[result.ok ? 'ok' : 'error']++;
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // The sweep must exercise both outcomes, or it proves nothing.
    expect(counts.ok).toBeGreaterThan(100);
    expect(counts.error).toBeGreaterThan(5000);
  });
});
