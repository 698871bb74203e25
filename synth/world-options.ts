import { HushError } from '../shared/errors/index.js';
import { TENANT_PATTERN } from '../schemas/alert.js';
import { validateDriftEpisodes, type DriftEpisode } from './drift-episode.js';

/** What `generateWorld` builds: one tenant's synthetic alert stream. */
export interface WorldOptions {
  /** Seed of every random choice; the same options reproduce the same bytes. @defaultValue `1` */
  seed?: number;
  /** Length of the stream in days of event time. @defaultValue `14` */
  days?: number;
  /** Tenant written on every line. @defaultValue `'demo'` */
  tenant?: string;
  /**
   * Approximate number of firing alerts wanted; the generator grows the topology (a bigger organisation)
   * and scales event rates to reach it. `null` keeps the natural rate (~3–8k firing alerts a day).
   * @defaultValue `null`
   */
  alerts?: number | null;
  /** Share of outcomes whose label is flipped (people mislabel). @defaultValue `0.03` */
  labelNoiseRate?: number;
  /** Share of firing alerts that never get an outcome. @defaultValue `0.10` */
  missingOutcomeRate?: number;
  /** Number of services before any scaling for `alerts`. @defaultValue `30` */
  services?: number;
  /** First instant of the stream (epoch ms); a Monday 00:00 UTC keeps the weekly pattern aligned. @defaultValue `2026-01-05T00:00:00Z` */
  startMs?: number;
  /**
   * Drift episodes: stretches of days in which a few services fire some mechanisms at a multiple of
   * their rate (see `drift-episode.ts`). None keeps the stream exactly as without this option.
   * @defaultValue `[]`
   */
  drift?: DriftEpisode[];
}

export type ResolvedWorldOptions = Required<WorldOptions>;

export const DEFAULT_WORLD_OPTIONS: ResolvedWorldOptions = {
  seed: 1,
  days: 14,
  tenant: 'demo',
  alerts: null,
  labelNoiseRate: 0.03,
  missingOutcomeRate: 0.1,
  services: 30,
  startMs: Date.UTC(2026, 0, 5),
  drift: [],
};

/** Largest `alerts` accepted: beyond this a single tenant's stream stops being a useful benchmark. */
export const MAX_ALERTS = 20_000_000;

/** `[min, max]` of each numeric option: `resolveWorldOptions` enforces them, and `hush synth` checks its flags against them. */
export const WORLD_OPTION_RANGES = {
  seed: [0, Number.MAX_SAFE_INTEGER],
  days: [1, 3660],
  services: [5, 5000],
  startMs: [0, 8.64e15],
  alerts: [1, MAX_ALERTS],
  labelNoiseRate: [0, 0.5],
  missingOutcomeRate: [0, 1],
} as const satisfies Record<string, readonly [number, number]>;

/** Applies defaults and fails fast, naming the option, on any invalid value. */
export function resolveWorldOptions(options: WorldOptions = {}): ResolvedWorldOptions {
  const resolved: ResolvedWorldOptions = { ...DEFAULT_WORLD_OPTIONS };
  for (const [key, value] of Object.entries(options)) {
    if (value !== undefined) (resolved as unknown as Record<string, unknown>)[key] = value;
  }
  integerIn('seed', resolved.seed, WORLD_OPTION_RANGES.seed);
  integerIn('days', resolved.days, WORLD_OPTION_RANGES.days);
  integerIn('services', resolved.services, WORLD_OPTION_RANGES.services);
  integerIn('startMs', resolved.startMs, WORLD_OPTION_RANGES.startMs);
  if (resolved.alerts !== null) integerIn('alerts', resolved.alerts, WORLD_OPTION_RANGES.alerts);
  numberIn('labelNoiseRate', resolved.labelNoiseRate, WORLD_OPTION_RANGES.labelNoiseRate);
  numberIn('missingOutcomeRate', resolved.missingOutcomeRate, WORLD_OPTION_RANGES.missingOutcomeRate);
  validateDriftEpisodes(resolved.drift, resolved.days);
  if (typeof resolved.tenant !== 'string' || !TENANT_PATTERN.test(resolved.tenant)) {
    invalid('tenant', `must match ${TENANT_PATTERN}, got ${JSON.stringify(resolved.tenant)}`);
  }
  return resolved;
}

function integerIn(name: string, value: unknown, [min, max]: readonly [number, number]): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    invalid(name, `must be an integer in [${min}, ${max}], got ${JSON.stringify(value)}`);
  }
}

function numberIn(name: string, value: unknown, [min, max]: readonly [number, number]): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    invalid(name, `must be a number in [${min}, ${max}], got ${JSON.stringify(value)}`);
  }
}

function invalid(name: string, problem: string): never {
  throw new HushError('HUSH_ERR_VALIDATION', `synth option "${name}" ${problem}`);
}
