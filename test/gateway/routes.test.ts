import { Value } from '@sinclair/typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PagerDutyIngestResponseSchema } from '../../workers/gateway/response-schemas.js';
import { ACME_TOKEN, GLOBEX_TOKEN, alert, auth, createHarness, outcome, queuedAlerts, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h.close();
});

const post = (url: string, payload: unknown, headers: Record<string, string> = auth()) =>
  h.app.inject({ method: 'POST', url, payload: JSON.stringify(payload), headers: { 'content-type': 'application/json', ...headers } });

async function drain(): Promise<void> {
  await h.alerts.bullQueue.obliterate({ force: true });
  await h.outcomes.bullQueue.obliterate({ force: true });
}

describe('POST /api/v1/alerts', () => {
  it('stores one alert as one job, normalised and stamped with the token tenant', async () => {
    await drain();
    const res = await post('/api/v1/alerts', alert({ id: 'client-1' }));
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ accepted: [{ index: 0, id: 'client-1', status: 'firing' }], rejected: [] });
    const { jobs, alerts } = await queuedAlerts(h);
    expect(jobs).toBe(1);
    expect(alerts[0]).toMatchObject({ id: 'client-1', tenant: 'acme', name: 'HighLatency', startsAt: Date.parse('2024-05-01T12:00:00Z') });
    expect(typeof alerts[0]?.fingerprint).toBe('string');
  });

  it('generates an id for an alert without one and reports it', async () => {
    await drain();
    const res = await post('/api/v1/alerts', alert());
    expect(res.statusCode).toBe(202);
    const id = res.json().accepted[0].id as string;
    expect(id.length).toBeGreaterThan(0);
    expect((await queuedAlerts(h)).alerts[0]?.id).toBe(id);
  });

  it('stores a small array as one shared job', async () => {
    await drain();
    const res = await post('/api/v1/alerts', [alert({ id: 'x1' }), alert({ id: 'x2' }), alert({ id: 'x3', status: 'resolved', endsAt: '2024-05-01T12:05:00Z' })]);
    expect(res.statusCode).toBe(202);
    expect(res.json().accepted.map((a: { id: string }) => a.id)).toEqual(['x1', 'x2', 'x3']);
    const { jobs, alerts } = await queuedAlerts(h);
    expect(jobs).toBe(1);
    expect(alerts.map((a) => a.id).sort()).toEqual(['x1', 'x2', 'x3']);
  });

  it('stores a large array in chunks rather than one job per alert', async () => {
    await drain();
    const batch = Array.from({ length: 450 }, (_, i) => alert({ id: `bulk-${i}` }));
    const res = await post('/api/v1/alerts', batch);
    expect(res.statusCode).toBe(202);
    expect(res.json().accepted).toHaveLength(450);
    const { jobs, alerts } = await queuedAlerts(h);
    expect(jobs).toBe(3); // chunks of 200
    expect(new Set(alerts.map((a) => a.id)).size).toBe(450);
  });

  it('stores concurrent single-alert requests in shared jobs, in fewer Redis round trips, and a repeated id once', async () => {
    await drain();
    const queue = h.alerts.bullQueue;
    const { add, addBulk } = { add: queue.add.bind(queue), addBulk: queue.addBulk.bind(queue) };
    let calls = 0;
    queue.add = async (...args) => {
      calls += 1;
      return add(...args);
    };
    queue.addBulk = async (jobs) => {
      calls += 1;
      return addBulk(jobs);
    };
    try {
      const ids = Array.from({ length: 40 }, (_, i) => `concurrent-${i}`);
      const responses = await Promise.all([...ids, 'concurrent-0'].map((id) => post('/api/v1/alerts', alert({ id }))));
      expect(responses.map((res) => res.statusCode)).toEqual(responses.map(() => 202));
      expect(responses.map((res) => res.json().accepted[0].id)).toEqual([...ids, 'concurrent-0']);
      expect(calls).toBeLessThan(responses.length);
      const { jobs, alerts } = await queuedAlerts(h);
      expect(jobs).toBeLessThan(ids.length);
      expect(alerts.map((a) => a.id).sort()).toEqual([...ids].sort());
    } finally {
      Object.assign(queue, { add, addBulk });
    }
  });

  it('keeps the good alerts of a mixed batch and lists the bad ones by index and field', async () => {
    await drain();
    const res = await post('/api/v1/alerts', [alert({ id: 'good-1' }), alert({ startsAt: 'yesterday' }), 42, alert({ id: 'good-2' })]);
    expect(res.statusCode).toBe(202);
    const body = res.json();
    expect(body.accepted.map((a: { index: number }) => a.index)).toEqual([0, 3]);
    expect(body.rejected).toHaveLength(2);
    expect(body.rejected[0]).toMatchObject({ index: 1, code: 'HUSH_ERR_VALIDATION', field: 'startsAt' });
    expect(body.rejected[1]).toMatchObject({ index: 2, code: 'HUSH_ERR_VALIDATION' });
    expect((await queuedAlerts(h)).alerts.map((a) => a.id).sort()).toEqual(['good-1', 'good-2']);
  });

  it('answers 400 naming the field when nothing is valid, and stores nothing', async () => {
    await drain();
    const res = await post('/api/v1/alerts', alert({ severity: 'apocalyptic' }));
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.code).toBe('HUSH_ERR_VALIDATION');
    expect(body.message).toContain('severity');
    expect(body.rejected).toEqual([expect.objectContaining({ index: 0, field: 'severity' })]);
    const batch = await post('/api/v1/alerts', [alert({ name: 7 }), alert({ service: '' })]);
    expect(batch.statusCode).toBe(400);
    expect(batch.json().message).toMatch(/^\[0\] .*name/);
    expect(batch.json().rejected).toHaveLength(2);
    expect((await queuedAlerts(h)).jobs).toBe(0);
  });

  it('answers 403 for a whole batch when one alert names another tenant', async () => {
    await drain();
    const res = await post('/api/v1/alerts', [alert({ id: 'ok' }), alert({ tenant: 'globex' })]);
    expect(res.statusCode).toBe(403);
    expect(res.json()).toEqual({ code: 'HUSH_ERR_FORBIDDEN_TENANT', message: expect.any(String) });
    expect((await queuedAlerts(h)).jobs).toBe(0);
    expect((await post('/api/v1/alerts', alert({ tenant: 'acme' }))).statusCode).toBe(202);
    expect((await post('/api/v1/alerts', alert({ tenant: 'acme' }), auth(GLOBEX_TOKEN))).statusCode).toBe(403);
  });

  it('rejects empty and oversized arrays', async () => {
    const empty = await post('/api/v1/alerts', []);
    expect(empty.statusCode).toBe(400);
    expect(empty.json().code).toBe('HUSH_ERR_VALIDATION');
    const huge = await post('/api/v1/alerts', Array.from({ length: 10_001 }, () => 0));
    expect(huge.statusCode).toBe(400);
    expect(huge.json().message).toContain('10000');
  });
});

describe('POST /api/v1/alerts/alertmanager', () => {
  const webhook = (alerts: unknown[]) => ({
    version: '4',
    groupKey: '{}:{alertname="HighLatency"}',
    truncatedAlerts: 0,
    status: 'firing',
    receiver: 'hush',
    groupLabels: { alertname: 'HighLatency' },
    commonLabels: {},
    commonAnnotations: {},
    externalURL: 'http://alertmanager:9093',
    alerts,
  });
  const amAlert = (overrides: Record<string, unknown> = {}) => ({
    status: 'firing',
    labels: { alertname: 'HighLatency', service: 'checkout', severity: 'critical', instance: 'web-1' },
    annotations: { summary: 'p99 above 2s' },
    startsAt: '2024-05-01T12:00:00Z',
    endsAt: '0001-01-01T00:00:00Z',
    generatorURL: 'http://prometheus:9090/graph',
    fingerprint: 'c0ffee',
    ...overrides,
  });

  it('stores each alert of a webhook as a native alert', async () => {
    await drain();
    const res = await post('/api/v1/alerts/alertmanager', webhook([amAlert(), amAlert({ fingerprint: 'beef', labels: { alertname: 'DiskFull', service: 'db', severity: 'warning' } })]));
    expect(res.statusCode).toBe(202);
    expect(res.json().accepted).toHaveLength(2);
    const { alerts } = await queuedAlerts(h);
    expect(alerts.map((a) => a.name).sort()).toEqual(['DiskFull', 'HighLatency']);
    expect(alerts.every((a) => a.tenant === 'acme' && typeof a.startsAt === 'number')).toBe(true);
  });

  it('answers 400 for a payload that is not a version 4 webhook', async () => {
    const res = await post('/api/v1/alerts/alertmanager', { version: '3', alerts: [] });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('HUSH_ERR_VALIDATION');
  });
});

describe('POST /api/v1/alerts/pagerduty', () => {
  const event = (overrides: Record<string, unknown> = {}) => ({
    routing_key: 'R0UT1NGKEY00000000000000000000000',
    event_action: 'trigger',
    dedup_key: 'pd-1',
    payload: { summary: 'Disk almost full', source: 'db-1', severity: 'critical', timestamp: '2024-05-01T12:00:00Z' },
    ...overrides,
  });

  it('stores a trigger event as a firing alert and answers with its dedup_key, as PagerDuty does', async () => {
    await drain();
    const res = await post('/api/v1/alerts/pagerduty', event());
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ accepted: [{ index: 0, id: expect.any(String), status: 'firing' }], rejected: [], status: 'success', message: 'Event processed', dedup_key: 'pd-1' });
    expect(Value.Check(PagerDutyIngestResponseSchema, res.json())).toBe(true);
    const { alerts } = await queuedAlerts(h);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ tenant: 'acme', status: 'firing' });
  });

  it('makes the triggers of an open dedup_key one alert and gives its resolve the same id and start', async () => {
    await drain();
    const untimed = (overrides: Record<string, unknown> = {}) => event({ dedup_key: 'pd-pair', payload: { summary: 'Disk almost full', source: 'db-1', severity: 'critical' }, ...overrides });
    const first = await post('/api/v1/alerts/pagerduty', untimed());
    const id = first.json().accepted[0].id as string;
    // Senders repeat a trigger while the problem lasts (Alertmanager on every repeat_interval), stamped or not.
    const repeated = await post('/api/v1/alerts/pagerduty', untimed({ payload: { summary: 'Disk full', source: 'db-1', severity: 'critical', timestamp: '2030-01-01T00:00:00Z' } }));
    const resolve = await post('/api/v1/alerts/pagerduty', { routing_key: 'R0UT1NGKEY00000000000000000000000', event_action: 'resolve', dedup_key: 'pd-pair' });
    const retriedResolve = await post('/api/v1/alerts/pagerduty', { routing_key: 'R0UT1NGKEY00000000000000000000000', event_action: 'resolve', dedup_key: 'pd-pair' });
    expect([repeated, resolve, retriedResolve].map((res) => res.json().accepted[0])).toEqual([
      { index: 0, id, status: 'firing' },
      { index: 0, id, status: 'resolved' },
      { index: 0, id, status: 'resolved' },
    ]);
    expect([first, repeated, resolve, retriedResolve].map((res) => res.json().dedup_key)).toEqual(['pd-pair', 'pd-pair', 'pd-pair', 'pd-pair']);
    const { alerts } = await queuedAlerts(h);
    const resolved = alerts.find((a) => a.status === 'resolved');
    const firing = alerts.find((a) => a.status === 'firing');
    expect(resolved?.startsAt).toBe(firing?.startsAt);
    expect(resolved?.endsAt).toBeGreaterThanOrEqual(firing?.startsAt as number);
    // After the resolve, the dedup_key opens a new alert.
    const reopened = await post('/api/v1/alerts/pagerduty', untimed());
    expect(reopened.json().accepted[0].id).not.toBe(id);
  });

  it('answers a trigger without a dedup_key with its alert id as the key, and a resolve with that key closes the alert', async () => {
    await drain();
    const trigger = await post('/api/v1/alerts/pagerduty', event({ dedup_key: undefined }));
    expect(trigger.statusCode).toBe(202);
    const id = trigger.json().accepted[0].id as string;
    expect(trigger.json()).toEqual({ accepted: [{ index: 0, id, status: 'firing' }], rejected: [], status: 'success', message: 'Event processed', dedup_key: id });
    expect(Value.Check(PagerDutyIngestResponseSchema, trigger.json())).toBe(true);

    // What a PagerDuty client sends to close it: routing key and the dedup_key it was answered, nothing else.
    const resolve = await post('/api/v1/alerts/pagerduty', { routing_key: 'R0UT1NGKEY00000000000000000000000', event_action: 'resolve', dedup_key: id });
    expect(resolve.statusCode).toBe(202);
    expect(resolve.json()).toEqual({ accepted: [{ index: 0, id, status: 'resolved' }], rejected: [], status: 'success', message: 'Event processed', dedup_key: id });
    const { alerts } = await queuedAlerts(h);
    const firing = alerts.find((a) => a.status === 'firing');
    // The same alert of the same series (the labels' fingerprint), so scoring closes the firing it saw.
    expect(alerts.find((a) => a.status === 'resolved')).toMatchObject({ id, fingerprint: firing?.fingerprint, startsAt: firing?.startsAt });

    // Another trigger without a dedup_key is another alert with another key, of the same series.
    const later = await post('/api/v1/alerts/pagerduty', event({ dedup_key: undefined, payload: { ...event().payload, timestamp: '2024-05-01T13:00:00Z' } }));
    expect(later.json().dedup_key).toBe(later.json().accepted[0].id);
    expect(later.json().dedup_key).not.toBe(id);
    const { alerts: after } = await queuedAlerts(h);
    expect(after.find((a) => a.id === later.json().accepted[0].id)?.fingerprint).toBe(firing?.fingerprint);
  });

  it('answers 400 for an unknown event action', async () => {
    const res = await post('/api/v1/alerts/pagerduty', event({ event_action: 'explode' }));
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'HUSH_ERR_VALIDATION', message: expect.stringContaining('event_action') });
  });
});

describe('POST /api/v1/outcomes', () => {
  it('stores one outcome or an array, normalised', async () => {
    await drain();
    const one = await post('/api/v1/outcomes', outcome());
    expect(one.statusCode).toBe(202);
    expect(one.json().accepted).toEqual([{ index: 0, id: 'a-1', status: 'actionable' }]);
    const many = await post('/api/v1/outcomes', [outcome({ alertId: 'a-2', outcome: 'noise' }), outcome({ outcome: 'maybe' })]);
    expect(many.statusCode).toBe(202);
    expect(many.json().rejected).toEqual([expect.objectContaining({ index: 1, field: 'outcome' })]);
    const jobs = await h.outcomes.bullQueue.getJobs(['waiting'], 0, -1, true);
    const stored = jobs.flatMap((j) => j.data.outcomes);
    expect(stored.map((o) => o.alertId).sort()).toEqual(['a-1', 'a-2']);
    expect(stored.every((o) => o.tenant === 'acme' && typeof o.at === 'number')).toBe(true);
  });

  it('answers 403 for an outcome of another tenant and 400 when none is valid', async () => {
    expect((await post('/api/v1/outcomes', outcome({ tenant: 'globex' }))).json().code).toBe('HUSH_ERR_FORBIDDEN_TENANT');
    const bad = await post('/api/v1/outcomes', [{ alertId: 5 }]);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().rejected).toHaveLength(1);
  });
});

describe('authentication', () => {
  it.each([
    ['no header', {}],
    ['an unknown token', auth('not-a-real-token-123')],
    ['a non-bearer scheme', { authorization: `Basic ${ACME_TOKEN}` }],
    ['an empty bearer', { authorization: 'Bearer ' }],
  ])('answers 401 for %s', async (_name, headers) => {
    const res = await post('/api/v1/alerts', alert(), headers as Record<string, string>);
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ code: 'HUSH_ERR_UNAUTHENTICATED', message: expect.any(String) });
    // The challenge every 401 must carry (RFC 9110 §11.6.1), so clients know to send a bearer token.
    expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="hush"/);
  });

  it('says in the challenge when a token was sent but is not valid', async () => {
    const res = await post('/api/v1/alerts', alert(), auth('not-a-real-token-123'));
    expect(res.headers['www-authenticate']).toBe('Bearer realm="hush", error="invalid_token"');
  });

  it('authenticates before reading the body', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/alerts', payload: 'not json', headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(401);
  });
});

describe('request errors', () => {
  it('answers 400 HUSH_ERR_INVALID_JSON for malformed and empty JSON', async () => {
    for (const payload of ['{"source":', '', '{"__proto__":{"x":1}}']) {
      const res = await h.app.inject({ method: 'POST', url: '/api/v1/alerts', payload, headers: { 'content-type': 'application/json', ...auth() } });
      expect(res.statusCode, payload).toBe(400);
      expect(res.json()).toEqual({ code: 'HUSH_ERR_INVALID_JSON', message: expect.any(String) });
    }
  });

  it('answers 415 for a body that is not JSON', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
      const res = await h.app.inject({ method: 'POST', url: '/api/v1/alerts', payload: 'a=1', headers: { 'content-type': type, ...auth() } });
      expect(res.statusCode, type).toBe(415);
      expect(res.json().code).toBe('HUSH_ERR_UNSUPPORTED_MEDIA_TYPE');
    }
    const untyped = await h.app.inject({ method: 'POST', url: '/api/v1/alerts', payload: Buffer.from('{}'), headers: auth() });
    expect(untyped.statusCode).toBe(415);
  });

  it('answers 400 for a POST without a body', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/alerts', headers: auth() });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('HUSH_ERR_VALIDATION');
  });

  it('answers 413 naming the body limit in bytes for a body over it', async () => {
    const small = await createHarness({ bodyLimit: 2048 });
    try {
      const res = await small.app.inject({
        method: 'POST',
        url: '/api/v1/alerts',
        payload: JSON.stringify(alert({ summary: 'x'.repeat(4096) })),
        headers: { 'content-type': 'application/json', ...auth() },
      });
      expect(res.statusCode).toBe(413);
      expect(res.json()).toEqual({ code: 'HUSH_ERR_BODY_TOO_LARGE', message: 'the request body exceeds the limit of 2048 bytes (HUSH_GATEWAY_BODY_LIMIT)' });
    } finally {
      await small.close();
    }
  });

  it('answers 404 HUSH_ERR_NOT_FOUND for unknown routes and methods', async () => {
    for (const [method, url] of [['GET', '/nope'], ['POST', '/api/v1/alertz'], ['GET', '/api/v1/alerts'], ['DELETE', '/api/v1/outcomes']] as const) {
      const res = await h.app.inject({ method, url, headers: auth() });
      expect(res.statusCode, `${method} ${url}`).toBe(404);
      expect(res.json()).toEqual({ code: 'HUSH_ERR_NOT_FOUND', message: expect.any(String) });
    }
  });

  it('does not crash on invalid UTF-8 bytes', async () => {
    const bytes = Buffer.concat([Buffer.from('{"source":"'), Buffer.from([0xff, 0xfe, 0xc3, 0x28]), Buffer.from('"}')]);
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/alerts', payload: bytes, headers: { 'content-type': 'application/json', ...auth() } });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('HUSH_ERR_VALIDATION');
  });
});

describe('Redis unavailable', () => {
  it('answers 503 within the timeout instead of 202 when the alert cannot be stored', async () => {
    const dead = await createHarness({ redisUrl: 'redis://127.0.0.1:1', redisTimeoutMs: 300 });
    try {
      const started = Date.now();
      const res = await dead.app.inject({ method: 'POST', url: '/api/v1/alerts', payload: JSON.stringify(alert()), headers: { 'content-type': 'application/json', ...auth() } });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toEqual({ code: 'HUSH_ERR_UNAVAILABLE', message: expect.any(String) });
      expect(Date.now() - started).toBeLessThan(5_000);
      const outcomes = await dead.app.inject({ method: 'POST', url: '/api/v1/outcomes', payload: JSON.stringify(outcome()), headers: { 'content-type': 'application/json', ...auth() } });
      expect(outcomes.statusCode).toBe(503);
      // A token that is not static needs Redis too: 503, not 401.
      const lookup = await dead.app.inject({ method: 'POST', url: '/api/v1/alerts', payload: '{}', headers: { 'content-type': 'application/json', ...auth('issued-token-not-static') } });
      expect(lookup.statusCode).toBe(503);
    } finally {
      await dead.close();
    }
  });
});

describe('GET /api/v1/openapi.json', () => {
  it('serves an OpenAPI 3.1 document with every route, without a token', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = JSON.parse(res.body);
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        '/api/v1/alerts', '/api/v1/alerts/alertmanager', '/api/v1/alerts/pagerduty', '/api/v1/openapi.json', '/api/v1/outcomes', '/healthz',
        // Metric samples; test/gateway/metrics-routes.test.ts checks them.
        '/api/v1/metrics', '/api/v1/metrics/write',
        // The ML routes; test/gateway/ml-routes.test.ts checks their operations.
        '/api/v1/models', '/api/v1/models/{id}/promote', '/api/v1/models/rollback', '/api/v1/ml/retrain', '/api/v1/ml/retrain/{jobId}', '/api/v1/ml/thresholds', '/api/v1/ml/thresholds/{service}',
        // test/drift/drift-api.test.ts checks it.
        '/api/v1/ml/drift',
        // test/gateway/model-canary.test.ts checks it.
        '/api/v1/models/{id}/canary',
      ].sort(),
    );
    for (const path of ['/api/v1/alerts', '/api/v1/alerts/alertmanager', '/api/v1/alerts/pagerduty', '/api/v1/outcomes']) {
      expect(Object.keys(doc.paths[path].post.responses).sort()).toEqual(['202', '400', '401', '403', '413', '415', '500', '503']);
    }
    // Every $ref resolves inside the document.
    const refs = [...res.body.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1] as string);
    for (const name of refs) expect(doc.components.schemas[name], name).toBeDefined();
    expect(doc.components.schemas.AlertWire.type).toBe('object');
    // The PagerDuty route answers like PagerDuty: status, message and dedup_key, beside Hush's own fields.
    expect(doc.paths['/api/v1/alerts/pagerduty'].post.responses['202'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/PagerDutyIngestResponse' });
    expect(doc.components.schemas.PagerDutyIngestResponse.required.sort()).toEqual(['accepted', 'dedup_key', 'message', 'rejected', 'status']);
  });
});

describe('GET /healthz', () => {
  it('answers 200 when every check passes and 503 naming the failing one', async () => {
    expect((await h.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ ok: true, checks: {} });
    const failing = await createHarness({ checks: { redis: async () => undefined, clickhouse: async () => Promise.reject(new Error('refused')) } });
    try {
      const res = await failing.app.inject({ method: 'GET', url: '/healthz' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ ok: false, checks: { redis: 'ok', clickhouse: 'refused' }, code: 'HUSH_ERR_UNAVAILABLE' });
    } finally {
      await failing.close();
    }
  });
});

describe('metrics', () => {
  it('counts requests by route pattern and status, and alerts by result', async () => {
    const m = await createHarness();
    try {
      const send = (payload: unknown) =>
        m.app.inject({ method: 'POST', url: '/api/v1/alerts', payload: JSON.stringify(payload), headers: { 'content-type': 'application/json', ...auth() } });
      await send([alert({ id: 'm1' }), alert({ severity: 'nope' })]);
      await send(alert({ severity: 'nope' }));
      await m.app.inject({ method: 'GET', url: '/some/unknown/path?x=1' });
      await m.app.inject({ method: 'POST', url: '/api/v1/outcomes', payload: JSON.stringify(outcome()), headers: { 'content-type': 'application/json', ...auth() } });
      const text = await m.registry.metrics();
      expect(text).toContain('hush_gateway_requests_total{route="/api/v1/alerts",status="202"} 1');
      expect(text).toContain('hush_gateway_requests_total{route="/api/v1/alerts",status="400"} 1');
      expect(text).toContain('hush_gateway_requests_total{route="unmatched",status="404"} 1');
      expect(text).toContain('hush_gateway_alerts_total{result="accepted"} 1');
      expect(text).toContain('hush_gateway_alerts_total{result="rejected"} 2');
      expect(text).toContain('hush_gateway_outcomes_total{result="accepted"} 1');
      expect(text).toMatch(/hush_gateway_request_duration_seconds_count\{route="\/api\/v1\/alerts"\} 2/);
    } finally {
      await m.close();
    }
  });
});

describe('error mapping', () => {
  it('hides the internals of unexpected faults behind 500 HUSH_ERR_INTERNAL', async () => {
    const { toErrorReply } = await import('../../workers/gateway/error-handler.js');
    const context = { bodyLimit: 1024 };
    const reply = toErrorReply(new Error('ECONNRESET at secret-host:6379 password=hunter2'), context);
    expect(reply.status).toBe(500);
    expect(reply.body.code).toBe('HUSH_ERR_INTERNAL');
    expect(JSON.stringify(reply.body)).not.toMatch(/secret|hunter2/);
    expect(toErrorReply('a string', context).status).toBe(500);
    expect(toErrorReply(Object.assign(new Error('x'), { statusCode: 418 }), context)).toMatchObject({ status: 400, body: { code: 'HUSH_ERR_VALIDATION' } });
  });
});
