import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readEvaluationLabels } from '../../bench/noise/evaluation-labels.js';
import { SPLIT_FILES } from '../../cli/loop/split-world.js';
import { WORLD_FILES } from '../../synth/index.js';

const ndjson = (rows: object[]): string => rows.map((r) => `${JSON.stringify(r)}\n`).join('');
const at = (minute: number): string => new Date(Date.UTC(2026, 0, 5, 0, minute)).toISOString();

describe('the labelled alerts the first evaluation certifies on', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hush-eval-labels-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function world(truth: object[]): Promise<void> {
    // Six firing alerts a minute apart, a resolve, and one alert never labelled.
    const alerts = [...['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((id, i) => ({ id, status: 'firing', startsAt: at(i) })), { id: 'a', status: 'resolved', startsAt: at(0), endsAt: at(9) }];
    const outcomes = [
      { alertId: 'a', outcome: 'noise', at: at(20) },
      { alertId: 'b', outcome: 'noise', at: at(20) },
      { alertId: 'c', outcome: 'actionable', at: at(20) },
      // f's label was corrected: the later one counts, wherever it is in the file.
      { alertId: 'f', outcome: 'noise', at: at(30) },
      { alertId: 'd', outcome: 'actionable', at: at(20) },
      { alertId: 'e', outcome: 'noise', at: at(20) },
      { alertId: 'f', outcome: 'actionable', at: at(21) },
    ];
    await writeFile(join(dir, SPLIT_FILES.historyAlerts), ndjson(alerts));
    await writeFile(join(dir, SPLIT_FILES.historyOutcomes), ndjson(outcomes));
    await writeFile(join(dir, WORLD_FILES.truth), ndjson(truth));
  }

  it('takes the newer half of the labelled alerts in event-time order, each with its latest label and its truth', async () => {
    await world(['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((alertId) => ({ alertId, actionable: alertId === 'c' || alertId === 'e' })));
    // Labelled: a–f. Training takes a, b, c; the evaluation reads d, e, f.
    expect(await readEvaluationLabels(dir, dir)).toEqual([
      { labelledActionable: true, actionable: false },
      { labelledActionable: false, actionable: true },
      { labelledActionable: false, actionable: false },
    ]);
  });

  it('names the labelled alert the truth file lacks', async () => {
    await world(['a', 'b', 'c', 'd', 'e'].map((alertId) => ({ alertId, actionable: false })));
    await expect(readEvaluationLabels(dir, dir)).rejects.toThrow(/no truth for labelled alert f/);
  });
});
