import { driftServices } from './drift-episode.js';
import type { WorldCounts } from './world-stats.js';
import type { WorldPlan } from './world-plan.js';

/** Bump when the same seed would produce different bytes. */
export const GENERATOR_VERSION = '1.0.0';

/** `manifest.json`: how a stream was made and what it holds. No wall-clock values, so it is reproducible. */
export interface WorldManifest {
  generator: 'hush-synth';
  generatorVersion: string;
  seed: number;
  tenant: string;
  days: number;
  start: string;
  end: string;
  requestedAlerts: number | null;
  rateMultiplier: number;
  labelNoiseRate: number;
  missingOutcomeRate: number;
  topology: { services: number; rules: number; dependencies: number };
  counts: Omit<WorldCounts, 'mechanisms'>;
  actionableShare: number;
  noiseShare: number;
  mechanisms: WorldCounts['mechanisms'];
  files: { alerts: string; outcomes: string; truth: string };
  /** Only when the world has drift episodes: each one with the services it affected. */
  drift?: { name: string; start: string; end: string; services: string[]; rates: Record<string, number> }[];
}

export const WORLD_FILES = { alerts: 'alerts.ndjson', outcomes: 'outcomes.ndjson', truth: 'truth.ndjson' } as const;

export function buildManifest(plan: WorldPlan, counts: WorldCounts): WorldManifest {
  const { options, topology } = plan;
  const { mechanisms, ...totals } = counts;
  const share = (n: number): number => (counts.firing === 0 ? 0 : Number((n / counts.firing).toFixed(4)));
  return {
    generator: 'hush-synth',
    generatorVersion: GENERATOR_VERSION,
    seed: options.seed,
    tenant: options.tenant,
    days: options.days,
    start: new Date(plan.startMs).toISOString(),
    end: new Date(plan.endMs).toISOString(),
    requestedAlerts: options.alerts,
    rateMultiplier: Number(plan.rate.toFixed(6)),
    labelNoiseRate: options.labelNoiseRate,
    missingOutcomeRate: options.missingOutcomeRate,
    topology: {
      services: topology.services.length,
      rules: topology.rules.length,
      dependencies: topology.services.reduce((n, s) => n + s.dependencies.length, 0),
    },
    counts: totals,
    actionableShare: share(counts.actionable),
    noiseShare: share(counts.noise),
    mechanisms,
    files: { ...WORLD_FILES },
    ...(options.drift.length === 0 ? {} : {
      drift: options.drift.map((episode, index) => ({
        name: episode.name,
        start: new Date(plan.startMs + episode.startDay * 86_400_000).toISOString(),
        end: new Date(Math.min(plan.endMs, plan.startMs + (episode.startDay + episode.days) * 86_400_000)).toISOString(),
        services: driftServices(options.seed, index, episode, topology).map((s) => s.name),
        rates: { ...episode.rates } as Record<string, number>,
      })),
    }),
  };
}
