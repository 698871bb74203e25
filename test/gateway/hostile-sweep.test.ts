import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../shared/errors/index.js';
import { ACME_TOKEN, GLOBEX_TOKEN, alert, createHarness, outcome, type Harness } from './harness.js';
import { prng } from '../helpers/prng.js';

/** A small seeded PRNG (mulberry32) so a failing request can be reproduced from its number. */

const BODY_LIMIT = 64 * 1024;
const ROUTES = ['/api/v1/alerts', '/api/v1/alerts/alertmanager', '/api/v1/alerts/pagerduty', '/api/v1/outcomes'];
const ODD_URLS = ['/api/v1/alerts/%ZZ', '/api/v1/%00', '/api/v1/alerts?x=%E0%A4%A', '/api//v1/alerts', '/API/V1/ALERTS', '/api/v1/alerts/', '/' + 'a'.repeat(3000), '/api/v1/openapi.json'];
const CONTENT_TYPES = ['application/json', 'application/json; charset=utf-8', 'application/json; charset=latin1', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', '', 'application/jsonx', 'APPLICATION/JSON', '*/*'];
const FIELDS = ['id', 'tenant', 'source', 'name', 'service', 'severity', 'status', 'startsAt', 'endsAt', 'summary', 'labels', 'value', 'fingerprint', 'alertId', 'outcome', 'at', 'version', 'alerts', 'event_action', 'payload', 'dedup_key', '__proto__', 'constructor'];

function sweepRequest(n: number) {
  const r = prng(n * 7919 + 17);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const int = (max: number) => Math.floor(r() * max);

  const randomString = (max: number): string => {
    const kind = int(5);
    const length = int(max);
    if (kind === 0) return 'x'.repeat(length);
    if (kind === 1) return Array.from({ length: Math.min(length, 200) }, () => String.fromCharCode(int(0x10000))).join(''); // lone surrogates, controls
    if (kind === 2) return pick(['', ' ', '\u0000', '2024-13-45T99:99:99Z', '1e309', 'NaN', '-0', '\ud800', '🙂'.repeat(50), '${jndi:ldap://x}', "'; DROP TABLE alerts; --"]);
    if (kind === 3) return new Date(int(2 ** 42) - 2 ** 40).toString();
    return Array.from({ length: Math.min(length, 300) }, () => String.fromCharCode(32 + int(95))).join('');
  };
  const randomValue = (depth: number): unknown => {
    switch (int(depth > 4 ? 6 : 9)) {
      case 0: return null;
      case 1: return r() < 0.5;
      case 2: return pick([0, -1, 1.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 2 ** 53, -0]);
      case 3: case 4: return randomString(int(4) === 0 ? 5000 : 60);
      case 5: return pick(['firing', 'resolved', 'critical', 'noise', 'actionable', '4', 'trigger', 'acme', 'globex', '2024-05-01T12:00:00Z']);
      case 6: return Array.from({ length: int(6) }, () => randomValue(depth + 1));
      default: return Object.fromEntries(Array.from({ length: int(6) }, () => [pick(FIELDS.concat(randomString(10))), randomValue(depth + 1)]));
    }
  };
  const mutated = (base: Record<string, unknown>) => {
    const copy: Record<string, unknown> = { ...base };
    for (let i = int(4); i >= 0; i--) {
      const field = pick(FIELDS);
      if (r() < 0.3) delete copy[field];
      else copy[field] = randomValue(1);
    }
    return copy;
  };

  let payload: string | Buffer;
  switch (int(12)) {
    case 0: payload = Buffer.from(Array.from({ length: int(2000) }, () => int(256))); break;
    case 1: { // valid JSON with invalid UTF-8 bytes inside strings
      const text = JSON.stringify(alert({ summary: 'INVALID', name: 'INVALID' }));
      const parts = text.split('INVALID');
      payload = Buffer.concat(parts.flatMap((part, i) => (i === 0 ? [Buffer.from(part)] : [Buffer.from([0xc3, 0x28, 0xff, 0xed, 0xa0, 0x80, 0xf8]), Buffer.from(part)])));
      break;
    }
    case 2: payload = JSON.stringify(randomValue(0)); break;
    case 3: payload = JSON.stringify(Array.from({ length: int(30) }, () => (r() < 0.5 ? mutated(alert()) : alert()))); break;
    case 4: payload = JSON.stringify(mutated(r() < 0.5 ? alert() : outcome())); break;
    case 5: { // huge strings, sometimes over the body limit
      const size = int(BODY_LIMIT * 1.5);
      payload = JSON.stringify(alert({ [pick(FIELDS)]: 'y'.repeat(size) }));
      break;
    }
    case 6: { // nested arrays / objects
      const depth = 1 + int(BODY_LIMIT / 3);
      payload = r() < 0.5 ? '['.repeat(depth) + ']'.repeat(depth) : '{"labels":'.repeat(Math.min(depth, 5000)) + '1' + '}'.repeat(Math.min(depth, 5000));
      break;
    }
    case 7: payload = JSON.stringify({ version: pick(['4', 4, '3', null]), alerts: Array.from({ length: int(10) }, () => randomValue(1)), groupLabels: randomValue(2) }); break;
    case 8: payload = JSON.stringify({ event_action: pick(['trigger', 'resolve', 'acknowledge', 7]), dedup_key: randomValue(3), payload: randomValue(1), routing_key: randomValue(3) }); break;
    case 9: payload = JSON.stringify(Array.from({ length: 9_990 + int(20) }, () => 0)); break;
    case 10: payload = pick(['', '{', '{"a":1,}', 'null', '"str"', '[]', '{}', '{"__proto__":{"polluted":1}}', '{"constructor":{"prototype":{"x":1}}}', '\ufeff{}', '1'.repeat(400), '[1e99999]']); break;
    default: payload = JSON.stringify(mutated(alert({ tenant: pick(['acme', 'globex', 'ACME', '', '-x', 'a'.repeat(70)]) }))); break;
  }

  const headers: Record<string, string> = {};
  const type = r() < 0.75 ? 'application/json' : pick(CONTENT_TYPES);
  if (type) headers['content-type'] = type;
  const token = int(10);
  if (token < 7) headers.authorization = `Bearer ${ACME_TOKEN}`;
  else if (token === 7) headers.authorization = `Bearer ${GLOBEX_TOKEN}`;
  else if (token === 8) headers.authorization = `Bearer ${randomString(40).replace(/[^\x21-\x7e]/g, 'z')}`;
  const url = r() < 0.92 ? pick(ROUTES) : pick(ODD_URLS);
  const method = r() < 0.95 ? 'POST' : pick(['GET', 'PUT', 'DELETE', 'PATCH'] as const);
  return { method, url, headers, payload };
}

let h: Harness;
const crashes: unknown[] = [];
const onCrash = (reason: unknown) => crashes.push(reason);

beforeAll(async () => {
  process.on('unhandledRejection', onCrash);
  process.on('uncaughtException', onCrash);
  h = await createHarness({ bodyLimit: BODY_LIMIT, bulkThreshold: 5 });
});
afterAll(async () => {
  process.off('unhandledRejection', onCrash);
  process.off('uncaughtException', onCrash);
  await h.close();
});

describe('hostile input sweep', () => {
  it('answers 2,400 garbled requests with 2xx/4xx and a well-formed body, never a 5xx or a crash', async () => {
    const statuses = new Map<number, number>();
    for (let n = 0; n < 2_400; n++) {
      const request = sweepRequest(n);
      const res = await h.app.inject(request);
      statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
      const where = `request #${n}: ${request.method} ${request.url.slice(0, 60)} → ${res.statusCode} ${res.body.slice(0, 300)}`;
      expect(res.statusCode, where).toBeLessThan(500);
      const body = JSON.parse(res.body) as Record<string, unknown>;
      if (res.statusCode === 202) {
        expect(Array.isArray(body.accepted) && Array.isArray(body.rejected), where).toBe(true);
      } else if (res.statusCode >= 400) {
        expect(typeof body.code === 'string' && typeof body.message === 'string', where).toBe(true);
        expect(ERROR_CODES[body.code as keyof typeof ERROR_CODES]?.status, where).toBe(res.statusCode);
      }
    }
    expect(crashes).toEqual([]);
    // The sweep must actually reach every outcome, not just bounce off one check.
    for (const status of [202, 400, 401, 403, 404, 413, 415]) expect(statuses.get(status) ?? 0, `status ${status}`).toBeGreaterThan(0);
  }, 120_000);
});
