/**
 * Certification ceiling (issue 3): how much noise reduction a certified FNR ≤ 1% can claim on the labels
 * of a `hush synth` world's history, whatever the model. For each seed and history length it writes the
 * world, splits it as `bench:noise` does, and ranks the labelled alerts the first evaluation certifies on
 * perfectly (every truly-noise alert below every actionable one): `perfect_ranking` under Hush's
 * certificate, `known_flip_rates` under one told the flip rates (bench/noise/certification-ceiling.ts).
 * No service is needed. Figures go to stdout, progress to stderr; the last line is one JSON object.
 *
 *   npm run bench:ceiling [-- --seeds 1,2,3] [--days 14,28,56] [--history 0.6]
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { splitDirOf, splitWorld } from '../cli/loop/split-world.js';
import { resolveServiceHome } from '../shared/services/index.js';
import { writeWorld } from '../synth/index.js';
import { DEFAULT_EVALUATION_POLICY } from '../workers/evaluation/evaluation-policy.js';
import { certificationCeiling, type CertificationCeiling } from './noise/certification-ceiling.js';
import { readEvaluationLabels } from './noise/evaluation-labels.js';

const USAGE = 'usage: bench:ceiling [-- --seeds 1,2,3] [--days 14,28,56] [--history 0<f<1]';
const { values } = parseArgs({
  options: { seeds: { type: 'string', default: '1,2,3' }, days: { type: 'string', default: '14,28,56' }, history: { type: 'string', default: '0.6' } },
});
const seeds = values.seeds.split(',').map(Number);
const lengths = values.days.split(',').map(Number);
const historyShare = Number(values.history);
if (seeds.some((s) => !Number.isInteger(s) || s < 0) || lengths.some((d) => !Number.isInteger(d) || d < 2) || !(historyShare > 0 && historyShare < 1)) {
  console.error(USAGE);
  process.exit(2);
}

const home = resolveServiceHome(undefined, process.env);
const rows: ({ seed: number; days: number } & CertificationCeiling)[] = [];
for (const days of lengths) {
  for (const seed of seeds) {
    const worldDir = join(home, 'bench-noise', `seed-${seed}-days-${days}`);
    process.stderr.write(`seed ${seed}, ${days} days: synthesising → ${worldDir}\n`);
    const manifest = await writeWorld({ seed, days, out: worldDir });
    const start = Date.parse(manifest.start);
    const cutoff = start + Math.round((Date.parse(manifest.end) - start) * historyShare);
    const splitDir = splitDirOf(worldDir, cutoff);
    await splitWorld(worldDir, cutoff, splitDir);
    const ceiling = certificationCeiling(await readEvaluationLabels(worldDir, splitDir));
    if (ceiling === null) throw new Error(`seed ${seed}, ${days} days: no truly actionable alert among the evaluation's labelled alerts`);
    rows.push({ seed, days, ...ceiling });
  }
}

const pct = (v: number): string => `${(v * 100).toFixed(1).padStart(5)}%`;
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
console.log(`certification ceiling at FNR ≤ ${pct(DEFAULT_EVALUATION_POLICY.fnrTarget).trim()} (95% upper bound): a perfect ranking of the labelled alerts the first evaluation certifies on, history ${Math.round(historyShare * 100)}% of each world`);
console.log('days  seed  alerts  actionable  flip rate  perfect ranking (Hush\'s certificate)  flip rates known');
const byDays = lengths.map((days) => {
  const group = rows.filter((r) => r.days === days);
  for (const r of group) {
    console.log(`${String(days).padEnd(6)}${String(r.seed).padEnd(6)}${String(r.alerts).padStart(6)}  ${String(r.actionable).padStart(10)}  ${pct(r.flip_rate).padStart(9)}  ${pct(r.perfect_ranking).padStart(36)}  ${pct(r.known_flip_rates).padStart(16)}`);
  }
  const figures = { days, perfect_ranking: mean(group.map((r) => r.perfect_ranking)), known_flip_rates: mean(group.map((r) => r.known_flip_rates)) };
  console.log(`${String(days).padEnd(6)}mean${' '.repeat(68)}${pct(figures.perfect_ranking)}  ${pct(figures.known_flip_rates).padStart(16)}`);
  return figures;
});
console.log(JSON.stringify({ fnr_target: DEFAULT_EVALUATION_POLICY.fnrTarget, confidence: 0.95, history: historyShare, means: byDays, worlds: rows }));
