import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HushError } from '../../shared/errors/index.js';
import {
  loadNabCorpus, parseNabTimestamp, readNabDetectorResults, readNabLabels, readNabProfiles, resolveNabWindows,
} from '../../shared/nab/index.js';

let root: string;

async function put(path: string, text: string): Promise<string> {
  const file = join(root, path);
  await mkdir(join(file, '..'), { recursive: true });
  await writeFile(file, text);
  return file;
}

async function validationError(promise: Promise<unknown>): Promise<HushError> {
  const error = await promise.then(() => undefined, (thrown: unknown) => thrown);
  expect(error).toBeInstanceOf(HushError);
  expect((error as HushError).code).toBe('HUSH_ERR_VALIDATION');
  return error as HushError;
}

const SERIES = 'timestamp,value\n2024-01-01 00:00:00,1\n2024-01-01 00:05:00,2\n2024-01-01 00:10:00,3\n2024-01-01 00:15:00,4\n';

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'hush-nab-corpus-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('NAB timestamps', () => {
  it('reads data-file and label-file timestamps as UTC milliseconds', () => {
    expect(parseNabTimestamp('2014-04-10 07:15:00')).toBe(Date.UTC(2014, 3, 10, 7, 15));
    expect(parseNabTimestamp('2014-04-10 07:15:00.000000')).toBe(Date.UTC(2014, 3, 10, 7, 15));
    expect(parseNabTimestamp('2014-04-10T07:15:00.250')).toBe(Date.UTC(2014, 3, 10, 7, 15, 0, 250));
  });

  it('rejects text that is not a calendar timestamp', () => {
    for (const text of ['', '2014-04-10', '2014-02-30 00:00:00', '2014-04-10 24:00:00', 'yesterday']) expect(parseNabTimestamp(text)).toBeUndefined();
  });
});

describe('NAB windows on rows', () => {
  const ms = [0, 1, 2, 3, 4, 5, 6, 7].map((m) => Date.UTC(2024, 0, 1, 0, 5 * m));
  const at = (m: number): string => `2024-01-01 00:${String(5 * m).padStart(2, '0')}:00.000000`;

  it('places both edges inclusively on the rows carrying those timestamps', () => {
    expect(resolveNabWindows('a.csv', ms, [[at(5), at(6)], [at(1), at(3)]])).toEqual([{ start: 1, end: 3 }, { start: 5, end: 6 }]);
  });

  it('closes a window at the first row carrying its end, as NAB does with repeated timestamps', () => {
    const repeated = [ms[0]!, ms[1]!, ms[2]!, ms[2]!, ms[3]!];
    expect(resolveNabWindows('a.csv', repeated, [[at(1), at(2)]])).toEqual([{ start: 1, end: 2 }]);
  });

  it('refuses a window whose edge is not a timestamp of the file', () => {
    expect(() => resolveNabWindows('a.csv', ms, [[at(1), '2024-01-01 00:07:00']])).toThrow(/a\.csv: window .* must start and end on timestamps/);
    expect(() => resolveNabWindows('a.csv', ms, [[at(3), at(1)]])).toThrow(/not a pair of ordered timestamps/);
  });
});

describe('NAB corpus loading', () => {
  it('loads every data file with its windows placed on its rows', async () => {
    await put('ok/data/cat/a.csv', SERIES);
    await put('ok/data/cat/b.csv', SERIES);
    const labels = await put('ok/labels.json', JSON.stringify({ 'cat/a.csv': [['2024-01-01 00:05:00.000000', '2024-01-01 00:10:00.000000']], 'cat/b.csv': [] }));
    const corpus = await loadNabCorpus(join(root, 'ok/data'), labels);
    expect(corpus.map((f) => [f.series.path, f.windows])).toEqual([['cat/a.csv', [{ start: 1, end: 2 }]], ['cat/b.csv', []]]);
    expect(corpus[0]?.series.values).toEqual([1, 2, 3, 4]);
    expect(corpus[0]?.series.timestamps[0]).toBe('2024-01-01 00:00:00');
  });

  it('names a missing data directory', async () => {
    const error = await validationError(loadNabCorpus(join(root, 'nowhere'), join(root, 'nowhere.json')));
    expect(error.message).toContain('nowhere does not exist or is not a directory');
  });

  it('names the file and line of a malformed row', async () => {
    await put('bad/data/cat/a.csv', 'timestamp,value\n2024-01-01 00:00:00,1\n2024-01-01 00:05:00,abc\n');
    const labels = await put('bad/labels.json', JSON.stringify({ 'cat/a.csv': [] }));
    const error = await validationError(loadNabCorpus(join(root, 'bad/data'), labels));
    expect(error.message).toMatch(/bad\/data\/cat\/a\.csv:3: value "abc" is not a finite number/);

    await put('bad/data/cat/a.csv', 'timestamp,value\n2024-01-01 00:00:00,1,7\n');
    expect((await validationError(loadNabCorpus(join(root, 'bad/data'), labels))).message).toMatch(/a\.csv:2: expected 2 fields, got 3/);

    await put('bad/data/cat/a.csv', 'timestamp,value\n01/01/2024,1\n');
    expect((await validationError(loadNabCorpus(join(root, 'bad/data'), labels))).message).toMatch(/a\.csv:2: timestamp "01\/01\/2024"/);

    await put('bad/data/cat/a.csv', 'time,value\n');
    expect((await validationError(loadNabCorpus(join(root, 'bad/data'), labels))).message).toMatch(/a\.csv:1: header "time,value" lacks column "timestamp"/);
  });

  it('refuses a data file the labels do not mention', async () => {
    await put('unlabelled/data/cat/a.csv', SERIES);
    const labels = await put('unlabelled/labels.json', '{}');
    expect((await validationError(loadNabCorpus(join(root, 'unlabelled/data'), labels))).message).toContain('has no entry for data file "cat/a.csv"');
  });

  it('refuses malformed labels and profiles', async () => {
    expect((await validationError(readNabLabels(await put('l1.json', '[1]')))).message).toContain('must map each data file');
    expect((await validationError(readNabLabels(await put('l2.json', '{"a.csv": [["x"]]}')))).message).toContain('"a.csv" must be a list of [start, end]');
    expect((await validationError(readNabLabels(await put('l3.json', '{')))).message).toContain('is not valid JSON');
    const profiles = await put('p.json', '{"standard": {"CostMatrix": {"tpWeight": 1, "fpWeight": -1, "fnWeight": 1}}}');
    expect((await validationError(readNabProfiles(profiles))).message).toContain('profile "standard" needs CostMatrix.fpWeight');
  });

  it('reads the anomaly_score column of result files and refuses ones that do not match the data', async () => {
    await put('res/data/cat/a.csv', SERIES);
    const labels = await put('res/labels.json', '{"cat/a.csv": []}');
    const corpus = await loadNabCorpus(join(root, 'res/data'), labels);
    const resultFile = 'res/out/det/cat/det_a.csv';
    await put(resultFile, 'timestamp,value,anomaly_score,label\n2024-01-01 00:00:00,1,0.5,0\n2024-01-01 00:05:00,2,0,0\n2024-01-01 00:10:00,3,1,0\n2024-01-01 00:15:00,4,0.25,0\n');
    const [result] = await readNabDetectorResults(corpus, join(root, 'res/out'), 'det');
    expect(Array.from(result!.scores)).toEqual([0.5, 0, 1, 0.25]);

    await put(resultFile, 'timestamp,anomaly_score\n2024-01-01 00:00:00,0.5\n');
    expect((await validationError(readNabDetectorResults(corpus, join(root, 'res/out'), 'det'))).message).toMatch(/det_a\.csv has 1 rows but data file cat\/a\.csv has 4/);

    await put(resultFile, 'timestamp,anomaly_score\n2024-01-01 00:00:00,0.5\n2024-01-01 00:05:00,1.5\n2024-01-01 00:10:00,0\n2024-01-01 00:15:00,0\n');
    expect((await validationError(readNabDetectorResults(corpus, join(root, 'res/out'), 'det'))).message).toMatch(/det_a\.csv:3: anomaly_score 1\.5 is outside \[0, 1\]/);

    await put(resultFile, 'timestamp,anomaly_score\n2024-01-01 00:00:00,0.5\n2024-01-01 00:06:00,1\n2024-01-01 00:10:00,0\n2024-01-01 00:15:00,0\n');
    expect((await validationError(readNabDetectorResults(corpus, join(root, 'res/out'), 'det'))).message).toMatch(/det_a\.csv:3: timestamp differs/);

    expect((await validationError(readNabDetectorResults(corpus, join(root, 'res/out'), 'other'))).message).toContain('results directory of detector "other"');
  });
});
