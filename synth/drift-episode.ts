import { HushError } from '../shared/errors/index.js';
import { Prng } from './prng.js';
import type { Service, Topology } from './topology.js';

/** Mechanisms whose rate a drift episode can raise (the names of `simulation.ts`'s mechanism list). */
export const DRIFT_MECHANISMS = [
  'flapping', 'transient', 'chronic', 'background', 'maintenance', 'incidents', 'false-alarm-cascades', 'isolated-problems', 'brief-real-problems',
] as const;

export type DriftMechanism = (typeof DRIFT_MECHANISMS)[number];

/**
 * A change of the world for a stretch of days: on a few services (picked by the seed), some mechanisms
 * fire at a multiple of their natural rate, e.g. a release that makes a service's rules cry wolf, or a
 * season of real incidents on a fragile datastore. The extra alerts come from the same mechanisms (they
 * look and are labelled exactly like the ordinary ones), so the alert mix and rates shift, not the rules.
 */
export interface DriftEpisode {
  /** Written to the manifest. */
  name: string;
  /** First day of the episode, counted from the start of the stream (0 = the first day). */
  startDay: number;
  /** Length in days (cut at the end of the stream). */
  days: number;
  /** How many services are affected. */
  services: number;
  /** Rate multiplier (≥ 1) per mechanism on the affected services while the episode lasts. */
  rates: Partial<Record<DriftMechanism, number>>;
}

/** The services an episode affects: `episode.services` distinct ones, drawn from the seed and the episode's position. */
export function driftServices(seed: number, index: number, episode: DriftEpisode, topology: Topology): Service[] {
  const prng = new Prng(seed, `drift:${index}:services`);
  const pool = [...topology.services];
  const chosen: Service[] = [];
  while (chosen.length < episode.services && pool.length > 0) chosen.push(pool.splice(prng.int(0, pool.length - 1), 1)[0] as Service);
  return chosen.sort((a, b) => a.index - b.index);
}

/** Fails fast, naming the episode and field, on an invalid episode list. */
export function validateDriftEpisodes(value: unknown, days: number): void {
  const bad = (where: string, problem: string): never => {
    throw new HushError('HUSH_ERR_VALIDATION', `synth option "drift${where}" ${problem}`);
  };
  if (!Array.isArray(value)) bad('', `must be an array of episodes, got ${JSON.stringify(value)}`);
  (value as unknown[]).forEach((raw, i) => {
    const e = raw as Partial<DriftEpisode> | null;
    if (typeof e !== 'object' || e === null) bad(`[${i}]`, 'must be an object');
    const ep = e as Partial<DriftEpisode>;
    if (typeof ep.name !== 'string' || ep.name.length === 0) bad(`[${i}].name`, 'must be a non-empty string');
    if (!Number.isInteger(ep.startDay) || (ep.startDay as number) < 0 || (ep.startDay as number) >= days) bad(`[${i}].startDay`, `must be an integer in [0, ${days - 1}], got ${JSON.stringify(ep.startDay)}`);
    if (!Number.isInteger(ep.days) || (ep.days as number) < 1) bad(`[${i}].days`, `must be an integer ≥ 1, got ${JSON.stringify(ep.days)}`);
    if (!Number.isInteger(ep.services) || (ep.services as number) < 1) bad(`[${i}].services`, `must be an integer ≥ 1, got ${JSON.stringify(ep.services)}`);
    if (typeof ep.rates !== 'object' || ep.rates === null || Object.keys(ep.rates).length === 0) bad(`[${i}].rates`, 'must name at least one mechanism');
    for (const [name, multiplier] of Object.entries(ep.rates as object)) {
      if (!(DRIFT_MECHANISMS as readonly string[]).includes(name)) bad(`[${i}].rates.${name}`, `is not a mechanism (one of ${DRIFT_MECHANISMS.join(', ')})`);
      if (typeof multiplier !== 'number' || !Number.isFinite(multiplier) || multiplier < 1 || multiplier > 1000) bad(`[${i}].rates.${name}`, `must be a multiplier in [1, 1000], got ${JSON.stringify(multiplier)}`);
    }
  });
}
