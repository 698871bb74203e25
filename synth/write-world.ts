import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateWorld } from './generate-world.js';
import { NdjsonWriter } from './ndjson-writer.js';
import { buildManifest, WORLD_FILES, type WorldManifest } from './world-manifest.js';
import type { WorldOptions } from './world-options.js';
import { planWorld } from './world-planner.js';
import { WorldStats } from './world-stats.js';

export interface WriteWorldOptions extends WorldOptions {
  /** Directory that receives `alerts.ndjson`, `outcomes.ndjson`, `truth.ndjson` and `manifest.json` (created if missing). */
  out: string;
  /** Called after each simulated day. @defaultValue none */
  onProgress?: (progress: { day: number; days: number; firing: number }) => void;
}

const DAY = 86_400_000;

/** Generates a world and streams it to disk; resolves with the manifest it wrote. */
export async function writeWorld(options: WriteWorldOptions): Promise<WorldManifest> {
  const { out, onProgress, ...worldOptions } = options;
  const plan = planWorld(worldOptions);
  await mkdir(out, { recursive: true });
  const writers = {
    alerts: new NdjsonWriter(join(out, WORLD_FILES.alerts)),
    outcomes: new NdjsonWriter(join(out, WORLD_FILES.outcomes)),
    truth: new NdjsonWriter(join(out, WORLD_FILES.truth)),
  };
  const stats = new WorldStats();
  let nextDay = plan.startMs + DAY;
  let sinceCheck = 0;
  try {
    for (const record of generateWorld(plan)) {
      stats.add(record);
      let pending: Promise<void> | undefined;
      if (record.kind === 'alert') {
        pending = writers.alerts.write(record.alert);
        // Parsing every timestamp costs a second per million lines; look at one in a thousand.
        const t = ++sinceCheck % 1024 === 0 ? Date.parse(record.alert.startsAt) : 0;
        if (t >= nextDay) {
          onProgress?.({ day: Math.floor((t - plan.startMs) / DAY), days: plan.options.days, firing: stats.counts.firing });
          nextDay = plan.startMs + (Math.floor((t - plan.startMs) / DAY) + 1) * DAY;
        }
      } else if (record.kind === 'truth') {
        pending = writers.truth.write(record.truth);
      } else {
        pending = writers.outcomes.write(record.outcome);
      }
      if (pending) await pending;
    }
  } finally {
    await Promise.all(Object.values(writers).map((w) => w.close()));
  }
  onProgress?.({ day: plan.options.days, days: plan.options.days, firing: stats.counts.firing });
  const manifest = buildManifest(plan, stats.finish());
  await writeFile(join(out, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}
