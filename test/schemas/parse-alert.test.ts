import { describe, expect, it } from 'vitest';
import { parseAlert } from '../../schemas/parse-alert.js';
import { expectFieldError, valueOf } from './fixtures.js';

const context = { tenant: 'acme' };
const valid = {
  source: 'prometheus',
  name: 'HighRequestLatency',
  service: 'checkout',
  severity: 'warning',
  status: 'firing',
  startsAt: '2024-05-01T12:00:00Z',
};
const withField = (field: string, value: unknown) => ({ ...valid, [field]: value });
const without = (field: string) => Object.fromEntries(Object.entries(valid).filter(([key]) => key !== field));

describe('parseAlert', () => {
  it('normalises a minimal alert: caller tenant, epoch ms, generated id and fingerprint, defaults', () => {
    const alert = valueOf(parseAlert(valid, context));
    expect(alert).toEqual({
      ...valid,
      tenant: 'acme',
      startsAt: Date.UTC(2024, 4, 1, 12),
      endsAt: null,
      summary: '',
      labels: {},
      value: null,
      id: expect.stringMatching(/^[0-9a-f]{32}$/),
      fingerprint: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
  });

  it('keeps a given id and fingerprint, endsAt, value and labels', () => {
    const alert = valueOf(
      parseAlert({ ...valid, id: 'client-42', fingerprint: 'fp-1', status: 'resolved', endsAt: '2024-05-01T13:05:00.250+01:00', value: 0.97, labels: { team: 'payments' } }, context),
    );
    expect(alert).toMatchObject({ id: 'client-42', fingerprint: 'fp-1', endsAt: Date.UTC(2024, 4, 1, 12, 5, 0, 250), value: 0.97, labels: { team: 'payments' } });
  });

  it('maps a collector retry and the resolved event of the same alert onto the same id', () => {
    const firing = valueOf(parseAlert({ ...valid, labels: { pod: 'a', zone: 'z1' } }, context));
    const retry = valueOf(parseAlert({ ...valid, labels: { zone: 'z1', pod: 'a' }, startsAt: '2024-05-01T14:00:00+02:00' }, context));
    const resolved = valueOf(parseAlert({ ...valid, labels: { pod: 'a', zone: 'z1' }, status: 'resolved', endsAt: '2024-05-01T12:10:00Z' }, context));
    expect(retry.id).toBe(firing.id);
    expect(resolved.id).toBe(firing.id);
    expect(resolved.fingerprint).toBe(firing.fingerprint);
  });

  it('gives different series different fingerprints, and different firings different ids', () => {
    const a = valueOf(parseAlert({ ...valid, labels: { pod: 'a' } }, context));
    const b = valueOf(parseAlert({ ...valid, labels: { pod: 'b' } }, context));
    const other = valueOf(parseAlert({ ...valid, labels: { pod: 'a' } }, { tenant: 'globex' }));
    const later = valueOf(parseAlert({ ...valid, labels: { pod: 'a' }, startsAt: '2024-05-01T13:00:00Z' }, context));
    expect(new Set([a.fingerprint, b.fingerprint, other.fingerprint]).size).toBe(3);
    expect(later.fingerprint).toBe(a.fingerprint);
    expect(later.id).not.toBe(a.id);
  });

  it('keeps two hosts distinct although both IPs strip to <ip>', () => {
    const a = valueOf(parseAlert({ ...valid, labels: { instance: '10.0.0.1:9100' } }, context));
    const b = valueOf(parseAlert({ ...valid, labels: { instance: '10.0.0.2:9100' } }, context));
    expect(a.labels.instance).toBe('<ip>:9100');
    expect(b.labels.instance).toBe('<ip>:9100');
    expect(a.fingerprint).not.toBe(b.fingerprint);
  });

  it('strips PII from summary and label values before the alert leaves the parser', () => {
    const alert = valueOf(parseAlert({ ...valid, summary: 'login failures for jane@example.com from 203.0.113.9', labels: { owner: 'ops@example.com' } }, context));
    expect(alert.summary).toBe('login failures for <email> from <ip>');
    expect(alert.labels.owner).toBe('<email>');
  });

  it('ignores unknown fields and never passes them on', () => {
    const alert = valueOf(parseAlert({ ...valid, collector_version: '1.2', extra: { deep: true } }, context));
    expect(Object.keys(alert).sort()).toEqual(['endsAt', 'fingerprint', 'id', 'labels', 'name', 'service', 'severity', 'source', 'startsAt', 'status', 'summary', 'tenant', 'value']);
  });

  it('accepts hostile but valid strings unchanged (escaping is the SQL layer\'s job)', () => {
    const hostile = `x'); DROP TABLE alerts; -- "\\`;
    const alert = valueOf(parseAlert({ ...valid, name: hostile, service: "o'brien\\svc", labels: { q: hostile } }, context));
    expect(alert.name).toBe(hostile);
    expect(alert.service).toBe("o'brien\\svc");
    expect(alert.labels.q).toBe(hostile);
  });

  it('treats null optional fields as absent', () => {
    const alert = valueOf(parseAlert({ ...valid, id: null, tenant: null, endsAt: null, summary: null, labels: null, value: null, fingerprint: null }, context));
    expect(alert).toMatchObject({ tenant: 'acme', endsAt: null, summary: '', labels: {}, value: null });
  });

  it('accepts the payload tenant when it is the caller\'s', () => {
    expect(valueOf(parseAlert({ ...valid, tenant: 'acme' }, context)).tenant).toBe('acme');
  });

  it('refuses another tenant with HUSH_ERR_FORBIDDEN_TENANT', () => {
    const error = expectFieldError(parseAlert({ ...valid, tenant: 'globex' }, context), 'tenant', 'HUSH_ERR_FORBIDDEN_TENANT');
    expect(error.message).toContain('globex');
  });

  it.each([
    ['a malformed tenant', { ...valid, tenant: 'Acme Corp' }],
    ['a non-string tenant', { ...valid, tenant: 7 }],
  ])('rejects %s as a validation error on tenant', (_label, input) => {
    expectFieldError(parseAlert(input, context), 'tenant');
  });

  it('rejects a caller context whose tenant is not a tenant name', () => {
    expectFieldError(parseAlert(valid, { tenant: '../etc' }), 'tenant');
    expectFieldError(parseAlert(valid, null as unknown as { tenant: string }), 'tenant');
  });

  it.each([null, 42, 'alert', [valid], true, undefined])('rejects a non-object input %j on (root)', (input) => {
    expectFieldError(parseAlert(input, context), '(root)');
  });

  it.each(['source', 'name', 'service', 'severity', 'status', 'startsAt'])('names the missing required field %s', (field) => {
    const error = expectFieldError(parseAlert(without(field), context), field);
    expect(error.message).toContain(field);
  });

  it.each([
    ['source', ''],
    ['source', 'x'.repeat(257)],
    ['name', 42],
    ['name', '   '],
    ['name', 'line\nbreak'],
    ['name', 'bell\u0007'],
    ['name', 'c1\u0085'],
    ['service', 'lone \ud800 surrogate'],
    ['service', 'low \udc00 first'],
    ['service', 'bad utf8 \ufffd'],
    ['id', ''],
    ['id', 'i'.repeat(129)],
    ['id', 12],
    ['fingerprint', 'f'.repeat(129)],
    ['severity', 'CRITICAL'],
    ['severity', 'fatal'],
    ['status', 'pending'],
    ['startsAt', 'yesterday'],
    ['startsAt', '2024-05-01T12:00:00'],
    ['startsAt', '2024-05-01 12:00:00Z'],
    ['startsAt', '2024-02-30T12:00:00Z'],
    ['startsAt', '1999-12-31T23:59:59Z'],
    ['startsAt', '2101-01-01T00:00:00Z'],
    ['startsAt', 1714564800000],
    ['endsAt', 'soon'],
    ['summary', 7],
    ['summary', 'é'.repeat(1025)],
    ['value', 'high'],
    ['value', Number.NaN],
    ['value', Number.POSITIVE_INFINITY],
    ['labels', ['a']],
    ['labels', 'team=a'],
  ])('rejects %s = %j naming the field', (field, value) => {
    expectFieldError(parseAlert(withField(field, value), context), field);
  });

  it('rejects endsAt before startsAt', () => {
    const error = expectFieldError(parseAlert({ ...valid, endsAt: '2024-05-01T11:59:59Z' }, context), 'endsAt');
    expect(error.message).toBe('endsAt must not be earlier than startsAt');
  });

  it('says what a timestamp must be and echoes what it got', () => {
    const error = expectFieldError(parseAlert(withField('startsAt', 'yesterday'), context), 'startsAt');
    expect(error.message).toMatch(/^startsAt must be an RFC 3339 timestamp.*got "yesterday"$/);
  });

  it('cuts echoed values to 64 characters', () => {
    const error = expectFieldError(parseAlert(withField('severity', 'z'.repeat(500)), context), 'severity');
    expect(error.message).toContain(`"${'z'.repeat(64)}…"`);
    expect(error.message.length).toBeLessThan(200);
  });

  it('accepts a summary of exactly 2048 bytes and keeps it', () => {
    const summary = 'é'.repeat(1024);
    expect(valueOf(parseAlert({ ...valid, summary }, context)).summary).toBe(summary);
  });

  it('replaces lone surrogates in free text instead of rejecting it', () => {
    const alert = valueOf(parseAlert({ ...valid, summary: 'broken \ud83d text', labels: { note: 'x\udc00y' } }, context));
    expect(alert.summary).toBe('broken \ufffd text');
    expect(alert.labels.note).toBe('x\ufffdy');
  });

  describe('labels', () => {
    it('rejects label names outside [a-zA-Z_][a-zA-Z0-9_]* on the labels field', () => {
      for (const key of ['1abc', 'with-dash', 'with space', '', 'k'.repeat(129), 'ünï']) {
        expectFieldError(parseAlert({ ...valid, labels: { [key]: 'v' } }, context), 'labels');
      }
    });

    it('rejects reserved __ names, which also keeps __proto__ out of every object', () => {
      const input = JSON.parse(`{"source":"p","name":"n","service":"s","severity":"info","status":"firing","startsAt":"2024-05-01T12:00:00Z","labels":{"__proto__":"x"}}`) as unknown;
      const error = expectFieldError(parseAlert(input, context), 'labels');
      expect(error.message).toContain('reserved');
      expect(({} as Record<string, unknown>).x).toBeUndefined();
    });

    it('keeps names like constructor and toString as ordinary labels', () => {
      const alert = valueOf(parseAlert({ ...valid, labels: { constructor: 'a', toString: 'b', hasOwnProperty: 'c' } }, context));
      expect(alert.labels).toEqual({ constructor: 'a', hasOwnProperty: 'c', toString: 'b' });
    });

    it('rejects a non-string label value on labels.<name>', () => {
      expectFieldError(parseAlert({ ...valid, labels: { team: 5 } }, context), 'labels.team');
      expectFieldError(parseAlert({ ...valid, labels: { team: null } }, context), 'labels.team');
    });

    it('rejects label values over 1024 characters', () => {
      expectFieldError(parseAlert({ ...valid, labels: { team: 'x'.repeat(1025) } }, context), 'labels.team');
    });

    it('accepts 64 labels and rejects 65', () => {
      const labels = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`l${i}`, 'v']));
      expect(Object.keys(valueOf(parseAlert({ ...valid, labels: labels(64) }, context)).labels)).toHaveLength(64);
      expectFieldError(parseAlert({ ...valid, labels: labels(65) }, context), 'labels');
    });
  });

  it('ignores prototype-pollution keys at the top level and does not pollute', () => {
    const input = JSON.parse(`{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"source":"p","name":"n","service":"s","severity":"info","status":"firing","startsAt":"2024-05-01T12:00:00Z"}`) as unknown;
    const alert = valueOf(parseAlert(input, context));
    expect((alert as unknown as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('does not read required fields from the prototype chain', () => {
    const input = Object.create(valid) as object;
    expectFieldError(parseAlert(input, context), 'startsAt');
  });

  it('answers with a (root) error when reading the input throws', () => {
    const hostile = new Proxy({}, { get: () => { throw new Error('boom'); }, has: () => true, getOwnPropertyDescriptor: () => { throw new Error('boom'); } });
    const error = expectFieldError(parseAlert(hostile, context), '(root)');
    expect(error.message).toContain('boom');
    const throwsNonError = { ...valid, get startsAt(): string { throw 'nope'; } };
    expect(expectFieldError(parseAlert(throwsNonError, context), '(root)').message).toContain('nope');
  });
});
