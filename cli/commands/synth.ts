import { readFileSync } from 'node:fs';
import type { CliCommand } from '../command.js';
import { parseCommandArgs, requireOutputDirectory, usageError } from '../command-args.js';
import { HushError } from '../../shared/errors/index.js';
import { writeWorld } from '../../synth/write-world.js';
import { DEFAULT_WORLD_OPTIONS, WORLD_OPTION_RANGES, type WorldOptions } from '../../synth/world-options.js';
import { TENANT_PATTERN } from '../../schemas/alert.js';

const USAGE = `hush synth --out DIR [--seed N] [--days D] [--tenant T] [--alerts N] [--label-noise P] [--missing-outcomes P] [--drift FILE] [--quiet]

  --out DIR             directory for alerts.ndjson, outcomes.ndjson, truth.ndjson, manifest.json
  --seed N              seed; the same options give the same bytes (default ${DEFAULT_WORLD_OPTIONS.seed})
  --days D              days of event time from ${new Date(DEFAULT_WORLD_OPTIONS.startMs).toISOString()} (default ${DEFAULT_WORLD_OPTIONS.days})
  --tenant T            tenant on every line (default ${DEFAULT_WORLD_OPTIONS.tenant})
  --alerts N            about N firing alerts in total (grows the organisation; default: natural rate, ~3-8k/day)
  --label-noise P       share of outcomes with a flipped label (default ${DEFAULT_WORLD_OPTIONS.labelNoiseRate})
  --missing-outcomes P  share of firing alerts that get no outcome (default ${DEFAULT_WORLD_OPTIONS.missingOutcomeRate})
  --drift FILE          JSON array of drift episodes, e.g. [{"name": "noisy-release", "startDay": 30, "days": 20,
                        "services": 4, "rates": {"false-alarm-cascades": 20}}] (synth/drift-episode.ts; default none)
  --quiet               no progress on stderr`;

/** `hush synth`: writes a reproducible synthetic alert world for replay and benchmarks (DESIGN §5). */
export const synthCommand: CliCommand = {
  name: 'synth',
  summary: 'generate a synthetic alert stream with outcomes and ground truth',
  usage: USAGE,
  async run(argv) {
    const { values } = parseCommandArgs(argv, USAGE, {
      out: { type: 'string' },
      seed: { type: 'string' },
      days: { type: 'string' },
      tenant: { type: 'string' },
      alerts: { type: 'string' },
      'label-noise': { type: 'string' },
      'missing-outcomes': { type: 'string' },
      drift: { type: 'string' },
      quiet: { type: 'boolean' },
    });
    if (values.out === undefined || values.out === '') throw usageError('--out DIR is required', USAGE);
    if (values.tenant !== undefined && !TENANT_PATTERN.test(values.tenant)) throw usageError(`--tenant must match ${TENANT_PATTERN}, got "${values.tenant}"`, USAGE);
    // Checked here against the generator's own ranges so that a bad value is reported under the flag typed.
    const options: WorldOptions = {
      seed: integer('--seed', values.seed, WORLD_OPTION_RANGES.seed),
      days: integer('--days', values.days, WORLD_OPTION_RANGES.days),
      tenant: values.tenant,
      alerts: integer('--alerts', values.alerts, WORLD_OPTION_RANGES.alerts),
      labelNoiseRate: number('--label-noise', values['label-noise'], WORLD_OPTION_RANGES.labelNoiseRate),
      missingOutcomeRate: number('--missing-outcomes', values['missing-outcomes'], WORLD_OPTION_RANGES.missingOutcomeRate),
      drift: values.drift === undefined ? undefined : driftEpisodes(values.drift),
    };
    await requireOutputDirectory(values.out, '--out', USAGE);
    const started = performance.now();
    const manifest = await writeWorld({
      ...options,
      out: values.out,
      onProgress: values.quiet ? undefined : ({ day, days, firing }) => {
        process.stderr.write(`synth: day ${day}/${days}, ${firing} firing alerts, ${((performance.now() - started) / 1000).toFixed(1)}s\n`);
      },
    });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`wrote ${manifest.counts.firing} firing alerts (${(manifest.noiseShare * 100).toFixed(1)}% noise), `
      + `${manifest.counts.resolved} resolved, ${manifest.counts.outcomes} outcomes to ${values.out} in ${seconds}s`);
    return 0;
  },
};

/** The episodes in a JSON file; their fields are checked where the world is planned. A file it cannot use is bad input, not a bad command line (exit 1, as for replay's files). */
function driftEpisodes(path: string): WorldOptions['drift'] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (thrown) {
    throw new HushError('HUSH_ERR_VALIDATION', `--drift: cannot read ${path}: ${(thrown as Error).message}`, { cause: thrown });
  }
  try {
    return JSON.parse(text) as WorldOptions['drift'];
  } catch (thrown) {
    throw new HushError('HUSH_ERR_VALIDATION', `--drift: ${path} is not JSON: ${(thrown as Error).message}`, { cause: thrown });
  }
}

function integer(flag: string, raw: string | undefined, [min, max]: readonly [number, number]): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!/^-?\d+$/.test(raw) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw usageError(`${flag} must be an integer in [${min}, ${max}], got "${raw}"`, USAGE);
  }
  return value;
}

function number(flag: string, raw: string | undefined, [min, max]: readonly [number, number]): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value < min || value > max) throw usageError(`${flag} must be a number in [${min}, ${max}], got "${raw}"`, USAGE);
  return value;
}
