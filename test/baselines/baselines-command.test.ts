import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { baselinesCommand } from '../../cli/commands/baselines.js';
import { tempDir, wireAlert, wireResolved } from '../replay/ndjson-files.js';

const dir = tempDir();
afterAll(() => dir.remove());
afterEach(() => vi.restoreAllMocks());

/** Runs the command in-process and returns what it printed. */
async function run(argv: string[]): Promise<string[]> {
  const lines: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(...line.split('\n')));
  expect(await baselinesCommand.run(argv)).toBe(0);
  return lines;
}

// a1 (critical) fires at 12:00 and stays; a2 (warning) fires at 12:01 and resolves at 12:03.
const alerts = dir.write('alerts.ndjson', [
  wireAlert('a1', 0, { severity: 'critical', tenant: 'acme' }),
  wireAlert('a2', 1, { labels: { team: 'payments', instance: 'x' }, tenant: undefined }),
  wireResolved('a2', 3, 3),
]);
const truth = dir.write('truth.ndjson', [{ alertId: 'a1', actionable: true }, { alertId: 'a2', actionable: false }]);

describe('hush baselines', () => {
  it('prints a table, then one JSON line per baseline with its options', async () => {
    const lines = await run(['--alerts', alerts, '--truth', truth]);
    expect(lines[0]).toBe(`2 firing alerts (1 actionable) in ${alerts}`);
    expect(lines[1]).toMatch(/^baseline +notified +suppressed +noise red\. +FNR +precision {2}added delay mean \/ p95$/);
    expect(lines[2]).toMatch(/^alertmanager-grouping +2 +0 +0\.00% +0\.00% +50\.00% {2}30\.0 s \/ 30\.0 s$/);
    expect(lines[3]).toMatch(/^auto-pause +1 +1 +50\.00% +0\.00% +100\.00% {2}300\.0 s \/ 300\.0 s$/);
    expect(lines[4]).toMatch(/^severity-filter +1 +1 +50\.00% +0\.00% +100\.00% {2}0\.0 s \/ 0\.0 s$/);
    const json = lines.slice(5).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(json.map((j) => j.baseline)).toEqual(['alertmanager-grouping', 'auto-pause', 'severity-filter']);
    expect(json[0]).toMatchObject({ noise_reduction: 0, fnr: 0, options: { groupWaitMs: 30_000, groupIntervalMs: 300_000, repeatIntervalMs: 14_400_000, sendResolved: true } });
  });

  it('takes the timers from its flags', async () => {
    const lines = await run(['--alerts', alerts, '--truth', truth, '--group-wait', '0s', '--group-interval', '1m', '--repeat-interval', '2h', '--send-resolved', 'false', '--hold', '90s']);
    const json = lines.slice(5).map((l) => JSON.parse(l) as { options: Record<string, unknown> });
    expect(json[0]?.options).toEqual({ groupBy: ['alertname', 'service'], groupWaitMs: 0, groupIntervalMs: 60_000, repeatIntervalMs: 7_200_000, sendResolved: false });
    expect(json[1]?.options).toEqual({ holdMs: 90_000 });
  });

  it.each([
    ['a line that is not JSON', ['{"id": "a1"', '{}'], ':1: not JSON'],
    ['an invalid alert', [wireAlert('a1', 0, { severity: 'loud' })], ':1: severity: '],
    ['a stream out of order', [wireAlert('a1', 5), wireAlert('a2', 1)], ':2: earlier than the line before it'],
  ])('stops at %s, naming the file and line', async (_, lines, message) => {
    const path = dir.write('bad-alerts.ndjson', lines);
    await expect(baselinesCommand.run(['--alerts', path, '--truth', truth])).rejects.toMatchObject({ code: 'HUSH_ERR_VALIDATION', message: expect.stringContaining(`${path}${message}`) });
  });

  it('stops at a bad truth line, naming the file and line', async () => {
    const bad = dir.write('bad-truth.ndjson', [{ alertId: 'a1', actionable: true }, { alertId: 'a2', actionable: 'yes' }]);
    await expect(baselinesCommand.run(['--alerts', alerts, '--truth', bad])).rejects.toThrow(`${bad}:2: expected a truth record`);
    const notJson = dir.write('truth-not-json.ndjson', ['nope']);
    await expect(baselinesCommand.run(['--alerts', alerts, '--truth', notJson])).rejects.toThrow(`${notJson}:1: not JSON`);
  });

  it.each([
    [[], '--alerts FILE is required'],
    [['--alerts', 'a'], '--truth FILE is required'],
    [['--alerts', 'a', '--truth', 't', '--tenant', 'Bad!'], '--tenant must match'],
    [['--alerts', 'a', '--truth', 't', '--hold', '5 minutes'], '--hold must be a duration such as 30s, 5m or 4h, got "5 minutes"'],
    [['--alerts', 'a', '--truth', 't', '--send-resolved', 'maybe'], '--send-resolved must be true or false'],
    [['--nope'], "Unknown option '--nope'"],
  ])('refuses %j', async (argv, message) => {
    await expect(baselinesCommand.run(argv)).rejects.toMatchObject({ code: 'HUSH_ERR_VALIDATION', message: expect.stringContaining(message) });
  });

  it('reports a missing file as a validation error', async () => {
    await expect(baselinesCommand.run(['--alerts', `${dir.dir}/missing.ndjson`, '--truth', truth])).rejects.toMatchObject({ code: 'HUSH_ERR_VALIDATION', message: expect.stringContaining('cannot read') });
  });
});
