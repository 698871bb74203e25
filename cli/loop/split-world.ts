import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { once } from 'node:events';
import { join } from 'node:path';
import { WORLD_FILES } from '../../synth/index.js';
import { readNdjson } from '../replay/ndjson-reader.js';
import { HushError } from '../../shared/errors/index.js';

/** The files {@link splitWorld} writes. */
export const SPLIT_FILES = {
  historyAlerts: 'history-alerts.ndjson',
  historyOutcomes: 'history-outcomes.ndjson',
  liveAlerts: 'live-alerts.ndjson',
  liveTruth: 'live-truth.ndjson',
} as const;

/** Where the split of the world in `worldDir` at `cutoff` is written. */
export function splitDirOf(worldDir: string, cutoff: number): string {
  return join(worldDir, `split-${cutoff}`);
}

/** What {@link splitWorld} wrote. */
export interface WorldSplit {
  cutoff: number;
  historyFiring: number;
  historyOutcomes: number;
  liveFiring: number;
}

/**
 * Splits a `hush synth` world at an event time (DESIGN §5, steps 1 and 3): alert events before the
 * cutoff are history, replayed with the outcomes that had arrived by then; the rest is the live stream,
 * replayed without outcomes and judged against the truth of its firing alerts only.
 */
export async function splitWorld(worldDir: string, cutoff: number, outDir: string): Promise<WorldSplit> {
  await mkdir(outDir, { recursive: true });
  const open = (name: string): WriteStream => createWriteStream(join(outDir, name));
  const files = { historyAlerts: open(SPLIT_FILES.historyAlerts), historyOutcomes: open(SPLIT_FILES.historyOutcomes), liveAlerts: open(SPLIT_FILES.liveAlerts), liveTruth: open(SPLIT_FILES.liveTruth) };
  const write = async (stream: WriteStream, value: unknown): Promise<void> => {
    if (!stream.write(`${JSON.stringify(value)}\n`)) await once(stream, 'drain');
  };
  const historyIds = new Set<string>();
  const liveIds = new Set<string>();
  const split: WorldSplit = { cutoff, historyFiring: 0, historyOutcomes: 0, liveFiring: 0 };
  try {
    for await (const line of readNdjson(join(worldDir, WORLD_FILES.alerts))) {
      const alert = recordOf(line, WORLD_FILES.alerts);
      const time = Date.parse(String(alert.status === 'resolved' ? (alert.endsAt ?? alert.startsAt) : alert.startsAt));
      const history = time < cutoff;
      await write(history ? files.historyAlerts : files.liveAlerts, alert);
      if (alert.status !== 'firing') continue;
      (history ? historyIds : liveIds).add(String(alert.id));
      if (history) split.historyFiring += 1;
      else split.liveFiring += 1;
    }
    for await (const line of readNdjson(join(worldDir, WORLD_FILES.outcomes))) {
      const outcome = recordOf(line, WORLD_FILES.outcomes);
      if (!historyIds.has(String(outcome.alertId)) || Date.parse(String(outcome.at)) >= cutoff) continue;
      await write(files.historyOutcomes, outcome);
      split.historyOutcomes += 1;
    }
    for await (const line of readNdjson(join(worldDir, WORLD_FILES.truth))) {
      const truth = recordOf(line, WORLD_FILES.truth);
      if (liveIds.has(String(truth.alertId))) await write(files.liveTruth, truth);
    }
  } finally {
    await Promise.all(Object.values(files).map((stream) => new Promise((resolve) => stream.end(resolve))));
  }
  return split;
}

/** A line of a world file as a JSON object; a line that is not one stops the reader, naming `file` and the line. */
export function recordOf(line: { line: number; value?: unknown; error?: string }, file: string): Record<string, unknown> {
  if (line.error !== undefined || typeof line.value !== 'object' || line.value === null) {
    throw new HushError('HUSH_ERR_VALIDATION', `${file} line ${line.line}: ${line.error ?? 'not a JSON object'}`);
  }
  return line.value as Record<string, unknown>;
}
