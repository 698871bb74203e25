import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import {
  loadNabCorpus, readNabDetectorResults, readNabLabels, readNabProfiles, resolveNabWindows, scoreNabDetector, type NabFileResult,
} from '../../shared/nab/index.js';
import { loadReferenceFixture } from '../fixtures/nab/reference-fixture.js';

const FIXTURE = new URL('../fixtures/nab/', import.meta.url);
const SHARED_CORPUS = '/work/shared/data/nab';

interface Expected {
  scores: Record<'numenta' | 'random', Record<string, number>>;
}

async function expected(): Promise<Expected> {
  return JSON.parse(await readFile(new URL('expected_scores.json', FIXTURE), 'utf8')) as Expected;
}

describe('the NAB scorer on NAB\'s reference results', () => {
  it('reproduces NAB\'s normalised scores for numenta and random on every profile, within 0.01', async () => {
    const [labels, profiles, { scores: want }] = await Promise.all([
      readNabLabels(new URL('combined_windows.json', FIXTURE).pathname),
      readNabProfiles(new URL('profiles.json', FIXTURE).pathname),
      expected(),
    ]);
    const fixture = loadReferenceFixture();
    expect(fixture.files).toHaveLength(35);
    for (const detector of ['numenta', 'random'] as const) {
      const results: NabFileResult[] = fixture.files.map((file) => ({
        path: file.path,
        windows: resolveNabWindows(file.path, file.timestampsMs, labels.get(file.path) ?? []),
        scores: file[detector],
      }));
      expect(results.reduce((sum, file) => sum + file.windows.length, 0)).toBe(55);
      const got = scoreNabDetector(results, profiles);
      expect(got.map((s) => s.profile)).toEqual(['standard', 'reward_low_FP_rate', 'reward_low_FN_rate']);
      for (const score of got) expect(Math.abs(score.normalised - (want[detector][score.profile] as number))).toBeLessThan(0.01);
    }
  });

  // The full corpus lives outside the repository; where it exists, score it through the file readers too.
  it.runIf(existsSync(SHARED_CORPUS))('reproduces them from the NAB files themselves', async () => {
    const [corpus, profiles, { scores: want }] = await Promise.all([
      loadNabCorpus(`${SHARED_CORPUS}/data`, `${SHARED_CORPUS}/labels/combined_windows.json`),
      readNabProfiles(`${SHARED_CORPUS}/config/profiles.json`),
      expected(),
    ]);
    for (const detector of ['numenta', 'random'] as const) {
      const got = scoreNabDetector(await readNabDetectorResults(corpus, `${SHARED_CORPUS}/reference`, detector), profiles);
      for (const score of got) expect(Math.abs(score.normalised - (want[detector][score.profile] as number))).toBeLessThan(0.01);
    }
  });
});
