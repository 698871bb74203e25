import { afterEach, describe, expect, it } from 'vitest';
import { replayEvents, type RejectedLine, type ReplayEvent } from '../../cli/replay/event-stream.js';
import { eventTime } from '../../shared/baselines/alert-events.js';
import { readNdjson } from '../../cli/replay/ndjson-reader.js';
import type { Alert } from '../../schemas/alert.js';
import { parseAlert } from '../../schemas/parse-alert.js';
import { parseOutcome } from '../../schemas/parse-outcome.js';
import { HushError } from '../../shared/errors/index.js';
import { tempDir, wireAlert, wireOutcome, wireResolved } from './ndjson-files.js';

const dirs: ReturnType<typeof tempDir>[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

function files(): ReturnType<typeof tempDir> {
  const d = tempDir();
  dirs.push(d);
  return d;
}

const parsers = {
  alert: (v: unknown) => parseAlert(v, { tenant: 'recorded-tenant' }),
  outcome: (v: unknown) => parseOutcome(v, { tenant: 'recorded-tenant' }),
};

async function collect(paths: { alerts: string; outcomes?: string }): Promise<{ events: ReplayEvent[]; rejected: RejectedLine[] }> {
  const events: ReplayEvent[] = [];
  const rejected: RejectedLine[] = [];
  for await (const event of replayEvents(paths, parsers, (r) => rejected.push(r))) events.push(event);
  return { events, rejected };
}

const label = (e: ReplayEvent): string => (e.kind === 'alert' ? `${e.alert.id}:${e.alert.status}` : `outcome:${e.outcome.alertId}`);

describe('replayEvents', () => {
  it('merges alerts and outcomes into one stream in event-time order, resolves at their end time', async () => {
    const f = files();
    const alerts = f.write('alerts.ndjson', [wireAlert('a', 0), wireAlert('b', 5), wireResolved('a', 0, 7), wireAlert('c', 20)]);
    const outcomes = f.write('outcomes.ndjson', [wireOutcome('a', 6), wireOutcome('b', 10), wireOutcome('c', 30)]);
    const { events, rejected } = await collect({ alerts, outcomes });
    expect(rejected).toEqual([]);
    expect(events.map(label)).toEqual(['a:firing', 'b:firing', 'outcome:a', 'a:resolved', 'outcome:b', 'c:firing', 'outcome:c']);
    expect(events.map((e) => e.time)).toEqual([...events.map((e) => e.time)].sort((x, y) => x - y));
    expect(events[3]?.time).toBe(Date.UTC(2024, 4, 1, 12, 7));
  });

  it('replays an alert before an outcome of the same instant', async () => {
    const f = files();
    const { events } = await collect({ alerts: f.write('a.ndjson', [wireAlert('a', 3)]), outcomes: f.write('o.ndjson', [wireOutcome('a', 3)]) });
    expect(events.map(label)).toEqual(['a:firing', 'outcome:a']);
  });

  it('streams alerts alone when there is no outcomes file', async () => {
    const f = files();
    const { events } = await collect({ alerts: f.write('a.ndjson', [wireAlert('a', 0), wireAlert('b', 1)]) });
    expect(events.map(label)).toEqual(['a:firing', 'b:firing']);
  });

  it('reports lines that are not JSON or not valid by file and line number, and skips blank lines', async () => {
    const f = files();
    const alerts = f.write('alerts.ndjson', [wireAlert('a', 0), '', '{broken', wireAlert('b', 1, { severity: 'urgent' }), wireAlert('c', 2)]);
    const outcomes = f.write('outcomes.ndjson', [wireOutcome('a', 1), { alertId: 'b', outcome: 'noise', source: 'human' }]);
    const { events, rejected } = await collect({ alerts, outcomes });
    expect(events.map(label)).toEqual(['a:firing', 'outcome:a', 'c:firing']);
    expect(rejected).toEqual([
      { file: alerts, line: 3, message: expect.stringMatching(/^not JSON: /) },
      { file: alerts, line: 4, message: expect.stringMatching(/^severity: /) },
      { file: outcomes, line: 2, message: expect.stringMatching(/^at: /) },
    ]);
  });

  it('stops with HUSH_ERR_VALIDATION naming the file and line of the first out-of-order record', async () => {
    const f = files();
    const alerts = f.write('unsorted.ndjson', [wireAlert('a', 10), wireAlert('b', 12), wireAlert('c', 11)]);
    const seen: string[] = [];
    const run = async (): Promise<void> => {
      for await (const event of replayEvents({ alerts }, parsers, () => undefined)) seen.push(label(event));
    };
    const error = await run().then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(HushError);
    expect(error).toMatchObject({ code: 'HUSH_ERR_VALIDATION' });
    expect((error as HushError).message).toContain(`${alerts}:3 is earlier than the line before it`);
    expect(seen).toEqual(['a:firing', 'b:firing']);
  });

  it('orders outcomes by their own time and refuses an unsorted outcomes file', async () => {
    const f = files();
    const alerts = f.write('a.ndjson', [wireAlert('a', 0)]);
    const outcomes = f.write('o.ndjson', [wireOutcome('a', 9), wireOutcome('a', 8)]);
    await expect(collect({ alerts, outcomes })).rejects.toThrow(`${outcomes}:2 is earlier`);
  });

  it('refuses a file that cannot be read with HUSH_ERR_VALIDATION naming it', async () => {
    const f = files();
    const missing = `${f.dir}/missing.ndjson`;
    await expect(collect({ alerts: missing })).rejects.toMatchObject({ code: 'HUSH_ERR_VALIDATION', message: expect.stringContaining(`cannot read ${missing}`) });
  });
});

describe('eventTime', () => {
  const base: Alert = { id: 'a', tenant: 't', source: 's', name: 'n', service: 'svc', severity: 'info', status: 'firing', startsAt: 1000, endsAt: null, summary: '', labels: {}, value: null, fingerprint: 'f' };

  it('is the start of a firing alert and the end of a resolved one', () => {
    expect(eventTime(base)).toBe(1000);
    expect(eventTime({ ...base, status: 'resolved', endsAt: 5000 })).toBe(5000);
    expect(eventTime({ ...base, status: 'resolved', endsAt: null })).toBe(1000);
  });
});

describe('readNdjson', () => {
  it('yields each parsed line with its 1-based number', async () => {
    const f = files();
    const path = f.write('x.ndjson', ['{"a":1}', '   ', '[2]', 'nope']);
    const lines = [];
    for await (const line of readNdjson(path)) lines.push(line);
    expect(lines).toEqual([
      { line: 1, value: { a: 1 } },
      { line: 3, value: [2] },
      { line: 4, error: expect.any(String) },
    ]);
  });
});
