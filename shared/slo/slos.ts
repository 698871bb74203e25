import { HushError } from '../errors/index.js';
import { SLI_BUCKETS, type SliBucketSet } from './sli-buckets.js';

/**
 * The SLOs Hush promises each tenant (docs/slos.md), as code. Every SLO is event based: over its
 * window, at least `objective` of the eligible events must be good, so the error budget is
 * `1 - objective` of them. Bump {@link SLO_SPEC_VERSION} on any change of meaning.
 */
export const SLO_SPEC_VERSION = 1;

/** The SLOs, by name. */
export const SLO_NAMES = ['noise_reduction', 'false_negatives', 'e2e_latency', 'inference_latency', 'freshness'] as const;
export type SloName = (typeof SLO_NAMES)[number];

/** One declared objective. */
export interface SloObjective {
  /** Fraction of eligible events that must be good over the window, in (0, 1). */
  objective: number;
  /** Rolling window in days. @defaultValue `30` */
  windowDays: number;
  /** Latency/freshness SLOs only: the bound an event must meet, one of {@link SLI_BUCKETS}. */
  threshold?: number;
}

export type TenantSlos = Record<SloName, SloObjective>;

/** The declared specification: defaults for every tenant and partial per-tenant overrides. */
export interface SloSpec {
  version: number;
  defaults: TenantSlos;
  tenants: Readonly<Record<string, Partial<Record<SloName, Partial<SloObjective>>>>>;
}

/** What the good and eligible events of each SLO are; fixed, not configurable per tenant. */
export const SLO_MEANING: Record<SloName, { good: string; eligible: string; unit?: string; buckets?: SliBucketSet }> = {
  noise_reduction: { good: 'suppressed', eligible: 'firing alerts with a decision' },
  false_negatives: { good: 'notified', eligible: 'alerts labelled actionable' },
  e2e_latency: { good: 'enqueue → decision within threshold', eligible: 'decisions', unit: 'ms', buckets: 'e2eMs' },
  inference_latency: { good: 'model inference within threshold', eligible: 'decisions', unit: 'ms', buckets: 'inferenceMs' },
  freshness: { good: 'event time → decision within threshold', eligible: 'decisions', unit: 's', buckets: 'freshnessS' },
};

/** The spec in force. Per-tenant entries override single fields of the defaults. */
export const SLO_SPEC: SloSpec = {
  version: SLO_SPEC_VERSION,
  defaults: {
    // ≥ 45% of firing alerts suppressed.
    noise_reduction: { objective: 0.45, windowDays: 30 },
    // FNR < 1.5%: at least 98.5% of actionable alerts notified.
    false_negatives: { objective: 0.985, windowDays: 30 },
    // p95 ≤ 140 ms end to end.
    e2e_latency: { objective: 0.95, windowDays: 30, threshold: 140 },
    // p99 ≤ 15 ms inference.
    inference_latency: { objective: 0.99, windowDays: 30, threshold: 15 },
    // p99 of alerts decided within 60 s of their event time.
    freshness: { objective: 0.99, windowDays: 30, threshold: 60 },
  },
  tenants: {},
};

/** One tenant's SLO with its derived error budget. */
export interface ResolvedSlo extends SloObjective {
  name: SloName;
  /** `1 - objective`: the fraction of eligible events allowed to be bad over the window. */
  errorBudget: number;
}

const MAX_WINDOW_DAYS = 90;
const TENANT = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const FIELDS = new Set(['objective', 'windowDays', 'threshold']);

function fail(path: string, message: string): never {
  throw new HushError('HUSH_ERR_CONFIG', `SLO spec ${path}: ${message}`);
}

function checkObjective(path: string, name: SloName, slo: Partial<SloObjective>, complete: boolean): void {
  if (typeof slo !== 'object' || slo === null) fail(path, 'must be an object');
  for (const key of Object.keys(slo)) if (!FIELDS.has(key)) fail(`${path}.${key}`, 'is not a known field');
  if (complete || slo.objective !== undefined) {
    const o = slo.objective;
    if (typeof o !== 'number' || !(o > 0 && o < 1)) fail(`${path}.objective`, `must be a number in (0, 1), got ${String(o)}`);
  }
  if (complete || slo.windowDays !== undefined) {
    const w = slo.windowDays;
    if (typeof w !== 'number' || !Number.isInteger(w) || w < 1 || w > MAX_WINDOW_DAYS) {
      fail(`${path}.windowDays`, `must be an integer from 1 to ${MAX_WINDOW_DAYS}, got ${String(w)}`);
    }
  }
  const buckets = SLO_MEANING[name].buckets;
  if (buckets === undefined) {
    if (slo.threshold !== undefined) fail(`${path}.threshold`, `${name} takes no threshold`);
  } else if (complete || slo.threshold !== undefined) {
    const allowed: readonly number[] = SLI_BUCKETS[buckets];
    if (typeof slo.threshold !== 'number' || !allowed.includes(slo.threshold)) {
      fail(`${path}.threshold`, `must be one of the rollup bounds ${allowed.join(', ')} (${SLO_MEANING[name].unit ?? ''}), got ${String(slo.threshold)}`);
    }
  }
}

/** Checks a spec: known SLO names and fields, objectives in (0,1), windows, thresholds on bucket bounds. */
export function validateSloSpec(spec: SloSpec): SloSpec {
  if (spec.version !== SLO_SPEC_VERSION) fail('version', `must be ${SLO_SPEC_VERSION}, got ${String(spec.version)}`);
  for (const name of SLO_NAMES) checkObjective(`defaults.${name}`, name, spec.defaults[name], true);
  for (const key of Object.keys(spec.defaults)) if (!(SLO_NAMES as readonly string[]).includes(key)) fail(`defaults.${key}`, 'is not a known SLO');
  for (const [tenant, overrides] of Object.entries(spec.tenants)) {
    if (!TENANT.test(tenant)) fail(`tenants.${tenant}`, `is not a valid tenant name (${TENANT.source})`);
    for (const [name, slo] of Object.entries(overrides)) {
      if (!(SLO_NAMES as readonly string[]).includes(name)) fail(`tenants.${tenant}.${name}`, 'is not a known SLO');
      checkObjective(`tenants.${tenant}.${name}`, name as SloName, slo as Partial<SloObjective>, false);
    }
  }
  return spec;
}

/** The SLOs of `tenant`: the defaults with its overrides applied, each with its error budget. */
export function resolveTenantSlos(tenant: string, spec: SloSpec = SLO_SPEC): Record<SloName, ResolvedSlo> {
  const overrides = spec.tenants[tenant] ?? {};
  const resolved = {} as Record<SloName, ResolvedSlo>;
  for (const name of SLO_NAMES) {
    const slo = { ...spec.defaults[name], ...overrides[name] };
    resolved[name] = { name, ...slo, errorBudget: 1 - slo.objective };
  }
  return resolved;
}

validateSloSpec(SLO_SPEC);
