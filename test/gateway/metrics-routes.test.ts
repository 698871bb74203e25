import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetricSample } from '../../schemas/metric-sample.js';
import { STALE_NAN_BITS } from '../../shared/remote-write/write-request.js';
import { lengthDelimited, snappyLiterals, writeRequest } from '../helpers/remote-write-encoder.js';
import { PROMETHEUS_BODY } from '../remote-write/prometheus-body.js';
import { GLOBEX_TOKEN, auth, createHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h.close();
});

const REMOTE_WRITE_HEADERS = {
  'content-type': 'application/x-protobuf',
  'content-encoding': 'snappy',
  'x-prometheus-remote-write-version': '0.1.0',
};
const T0 = Date.UTC(2024, 4, 1, 12);

const postJson = (payload: unknown, headers: Record<string, string> = auth()) =>
  h.app.inject({ method: 'POST', url: '/api/v1/metrics', payload: JSON.stringify(payload), headers: { 'content-type': 'application/json', ...headers } });

const remoteWrite = (body: Buffer | undefined, headers: Record<string, string> = {}) =>
  h.app.inject({ method: 'POST', url: '/api/v1/metrics/write', ...(body ? { payload: body } : {}), headers: { ...auth(), ...REMOTE_WRITE_HEADERS, ...headers } });

/** Every sample on the harness's metrics queues, by enqueue order within each partition. */
async function queuedSamples(): Promise<MetricSample[]> {
  const jobs = await Promise.all(h.samples.bullQueues.map((queue) => queue.getJobs(['waiting'], 0, -1, true)));
  return jobs.flat().flatMap((job) => job.data.samples);
}

async function drain(): Promise<void> {
  await Promise.all(h.samples.bullQueues.map((queue) => queue.obliterate({ force: true })));
}

async function samplesCounter(): Promise<Record<string, number>> {
  const metric = await h.registry.getSingleMetric('hush_gateway_metric_samples_total')?.get();
  return Object.fromEntries((metric?.values ?? []).map((v) => [String(v.labels.result), v.value]));
}

const sample = (overrides: Record<string, unknown> = {}) => ({ name: 'http_requests_total', labels: { job: 'api' }, timestamp: T0, value: 42, ...overrides });

describe('POST /api/v1/metrics', () => {
  it('stores one sample for the token tenant and answers the counts', async () => {
    await drain();
    const res = await postJson(sample());
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ accepted: 1, skipped: 0, rejected: [] });
    expect(await queuedSamples()).toEqual([{ tenant: 'acme', name: 'http_requests_total', labels: { job: 'api' }, timestamp: T0, value: 42 }]);
  });

  it('stores the valid samples of a batch and lists the invalid ones by position', async () => {
    await drain();
    const res = await postJson([sample(), sample({ value: 'high' }), sample({ timestamp: T0 + 1000, value: 43 })]);
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ accepted: 2, skipped: 0, rejected: [{ index: 1, code: 'HUSH_ERR_VALIDATION', field: 'value' }] });
    expect((await queuedSamples()).map((s) => s.value).sort()).toEqual([42, 43]);
  });

  it('refuses a batch with nothing valid, naming the field, and stores nothing', async () => {
    await drain();
    const res = await postJson([sample({ name: 'bad name' })]);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'HUSH_ERR_VALIDATION', message: expect.stringMatching(/^\[0\] name must match/), rejected: [{ index: 0, field: 'name' }] });
    expect(await queuedSamples()).toEqual([]);
  });

  it("forbids a sample for another tenant than the token's", async () => {
    const res = await postJson(sample({ tenant: 'acme' }), auth(GLOBEX_TOKEN));
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('HUSH_ERR_FORBIDDEN_TENANT');
  });
});

describe('POST /api/v1/metrics/write (Prometheus remote write 1.0)', () => {
  it('stores what a real Prometheus sent as samples of the token tenant, skipping its NaN values', async () => {
    await drain();
    const before = await samplesCounter();
    const res = await remoteWrite(PROMETHEUS_BODY);
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ accepted: 468, skipped: 32, rejected: [] });
    const samples = await queuedSamples();
    expect(samples).toHaveLength(468);
    expect(samples).toContainEqual(expect.objectContaining({ tenant: 'acme', name: 'prometheus_tsdb_compaction_chunk_size_bytes_count', labels: { instance: '127.0.0.1:19998', job: 'prometheus' }, value: 0 }));
    expect(samples.every((s) => Number.isFinite(s.value) && !('__name__' in s.labels))).toBe(true);
    const after = await samplesCounter();
    expect((after.accepted ?? 0) - (before.accepted ?? 0)).toBe(468);
    expect((after.non_finite ?? 0) - (before.non_finite ?? 0)).toBe(32);
  });

  it('skips and counts staleness markers and native histograms instead of storing them', async () => {
    await drain();
    const body = writeRequest([{ labels: { __name__: 'up', job: 'api' }, samples: [{ value: 1, timestamp: T0 }, { value: STALE_NAN_BITS, timestamp: T0 + 15_000 }] }]);
    const withHistogram = Buffer.concat([body, lengthDelimited(1, Buffer.concat([lengthDelimited(1, Buffer.concat([lengthDelimited(1, '__name__'), lengthDelimited(2, 'h')])), lengthDelimited(4, 'native histogram')]))]);
    const before = await samplesCounter();
    const res = await remoteWrite(snappyLiterals(withHistogram));
    expect(res.json()).toEqual({ accepted: 1, skipped: 2, rejected: [] });
    expect(await queuedSamples()).toEqual([{ tenant: 'acme', name: 'up', labels: { job: 'api' }, timestamp: T0, value: 1 }]);
    const after = await samplesCounter();
    expect((after.stale ?? 0) - (before.stale ?? 0)).toBe(1);
    expect((after.histogram ?? 0) - (before.histogram ?? 0)).toBe(1);
  });

  it('accepts a request with no samples (Prometheus sends metadata on its own)', async () => {
    const res = await remoteWrite(snappyLiterals(lengthDelimited(3, 'metadata only')));
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ accepted: 0, skipped: 0, rejected: [] });
  });

  it('rejects samples that are not valid metric samples, by their position in the request', async () => {
    const body = writeRequest([
      { labels: { __name__: 'ok' }, samples: [{ value: 1, timestamp: T0 }] },
      { labels: { job: 'no name' }, samples: [{ value: 1, timestamp: T0 }] },
      { labels: { __name__: 'old' }, samples: [{ value: 1, timestamp: 1_000 }] },
    ]);
    const res = await remoteWrite(snappyLiterals(body));
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ accepted: 1, rejected: [{ index: 1, field: 'name' }, { index: 2, field: 'timestamp' }] });
  });

  it.each([
    ['a body that is not snappy', Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), 'the body is not a valid snappy block'],
    ['snappy that holds no protobuf', snappyLiterals(Buffer.from([0x0a, 0x64, 0x01])), 'the body is not a valid protobuf message'],
    ['an empty body', Buffer.alloc(0), 'ends inside the length preamble'],
    ['no body at all', undefined, 'ends inside the length preamble'],
  ])('answers %s with 400 HUSH_ERR_MALFORMED_BODY', async (_name, body, message) => {
    const res = await remoteWrite(body);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'HUSH_ERR_MALFORMED_BODY', message: expect.stringContaining(message) });
  });

  it('refuses a compressed body over the body limit before reading it all', async () => {
    const res = await remoteWrite(Buffer.alloc(1024 * 1024 + 1));
    expect(res.statusCode).toBe(413);
    expect(res.json()).toEqual({ code: 'HUSH_ERR_BODY_TOO_LARGE', message: 'the request body exceeds the limit of 1048576 bytes (HUSH_GATEWAY_BODY_LIMIT)' });
  });

  it('refuses a body that would decompress beyond 16 times the body limit', async () => {
    const declares17MiB = Buffer.from([0x80, 0x80, 0x80, 0x11, 0x00]);
    const res = await remoteWrite(declares17MiB);
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ code: 'HUSH_ERR_BODY_TOO_LARGE', message: expect.stringContaining('max_samples_per_send') });
    expect(res.json().message).toContain('decompresses to 35651584 bytes; the limit is 16777216 bytes');
  });

  it.each([
    ['JSON', { 'content-type': 'application/json' }, /Content-Type: application\/x-protobuf/],
    ['remote write 2.0', { 'content-type': 'application/x-protobuf;proto=io.prometheus.write.v2.Request' }, /remote-write 1.0/],
    ['no Content-Encoding', { 'content-encoding': '' }, /Content-Encoding: snappy/],
    ['gzip', { 'content-encoding': 'gzip' }, /Content-Encoding: snappy .*got "gzip"/],
  ])('answers %s with 415 before decoding', async (_name, headers, message) => {
    const res = await remoteWrite(Buffer.from('{"not":"decoded"}'), headers);
    expect(res.statusCode).toBe(415);
    expect(res.json()).toMatchObject({ code: 'HUSH_ERR_UNSUPPORTED_MEDIA_TYPE', message: expect.stringMatching(message) });
  });

  it('needs a token like every ingest route', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/metrics/write', payload: PROMETHEUS_BODY, headers: REMOTE_WRITE_HEADERS });
    expect(res.statusCode).toBe(401);
  });

  it('answers 503 when Redis cannot store the samples, so Prometheus retries the batch', async () => {
    const dead = await createHarness({ redisUrl: 'redis://127.0.0.1:1', redisTimeoutMs: 300 });
    try {
      const res = await dead.app.inject({ method: 'POST', url: '/api/v1/metrics/write', payload: PROMETHEUS_BODY, headers: { ...REMOTE_WRITE_HEADERS, authorization: 'Bearer acme-token-0123456789' } });
      expect(res.statusCode).toBe(503);
      expect(res.json().code).toBe('HUSH_ERR_UNAVAILABLE');
    } finally {
      await dead.close();
    }
  });

  it('is described in the OpenAPI document', async () => {
    const doc = (await h.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/metrics', '/api/v1/metrics/write']));
    expect(doc.paths['/api/v1/metrics/write'].post.requestBody.content).toHaveProperty('application/x-protobuf');
    // Only the statuses each route can answer: a remote-write body names no tenant, so it is never 403.
    expect(Object.keys(doc.paths['/api/v1/metrics'].post.responses).sort()).toEqual(['202', '400', '401', '403', '413', '415', '500', '503']);
    expect(Object.keys(doc.paths['/api/v1/metrics/write'].post.responses).sort()).toEqual(['202', '400', '401', '413', '415', '500', '503']);
    expect(doc.components.schemas.MetricsIngestResponse.required).toEqual(['accepted', 'skipped', 'rejected']);
  });
});
