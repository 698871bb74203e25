import { HushError } from '../../shared/errors/index.js';
import { MODEL_KIND_PATTERN } from '../../schemas/model-kind.js';
import { DEFAULT_DRIFT_SCHEDULE, type DriftSchedule } from '../../queues/drift-queue.js';
import { resolveDriftOptions, type DriftOptions } from './drift-options.js';
import { resolveRetrainingPolicy, type QuietHours, type RetrainingPolicyOptions } from './retraining-policy.js';

/** The drift role's configuration, resolved explicit value → environment variable → default, validated once. */
export interface DriftConfig {
  /** `HUSH_DRIFT_KINDS`: model kinds to watch for every configured tenant, comma-separated. @defaultValue `noise` */
  kinds: string[];
  /** `HUSH_DRIFT_TUMBLING_MS`, `HUSH_DRIFT_SLIDING_MS`, `HUSH_DRIFT_SLIDING_EVERY_MS` @defaultValue 1 h, 7 d, 6 h */
  schedule: DriftSchedule;
  /** `HUSH_DRIFT_SHARE` (dataset drift share), `HUSH_DRIFT_PSI_MODE`; the rest at their defaults. */
  options: DriftOptions;
  /** `HUSH_RETRAIN_QUIET_HOURS` (`8-20` UTC, or `none`), `HUSH_RETRAIN_MIN_INTERVAL_MS`; the rest at their defaults. */
  policy: RetrainingPolicyOptions;
}

function positiveInteger(env: NodeJS.ProcessEnv, variable: string, fallback: number): number {
  const raw = env[variable];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 60_000) throw new HushError('HUSH_ERR_CONFIG', `${variable} must be an integer number of ms ≥ 60000, got "${raw}"`);
  return value;
}

function quietHours(raw: string): QuietHours | null {
  if (raw === 'none') return null;
  const match = /^(\d{1,2})-(\d{1,2})$/.exec(raw);
  if (!match) throw new HushError('HUSH_ERR_CONFIG', 'must be "start-end" in UTC hours or "none"');
  return { startHour: Number(match[1]), endHour: Number(match[2]) };
}

/**
 * An environment variable read with `parse`, which checks it with the option's own validation; its
 * error is rethrown naming the variable. Undefined when the variable is unset.
 */
function fromEnv<T>(env: NodeJS.ProcessEnv, variable: string, parse: (raw: string) => T): T | undefined {
  const raw = env[variable];
  if (raw === undefined) return undefined;
  try {
    return parse(raw);
  } catch (thrown) {
    if (!(thrown instanceof HushError)) throw thrown;
    throw new HushError('HUSH_ERR_CONFIG', `${variable}="${raw}": ${thrown.message}`, { cause: thrown });
  }
}

/** Resolves and validates the drift role's configuration; throws `HUSH_ERR_CONFIG` naming the variable. */
export function loadDriftConfig(explicit: Partial<DriftConfig> = {}, env: NodeJS.ProcessEnv = process.env): DriftConfig {
  const kinds = explicit.kinds ?? (env.HUSH_DRIFT_KINDS ?? 'noise').split(',').map((k) => k.trim()).filter(Boolean);
  for (const kind of kinds) if (!MODEL_KIND_PATTERN.test(kind)) throw new HushError('HUSH_ERR_CONFIG', `HUSH_DRIFT_KINDS entries must match ${MODEL_KIND_PATTERN}, got "${kind}"`);
  const schedule = explicit.schedule ?? {
    tumblingMs: positiveInteger(env, 'HUSH_DRIFT_TUMBLING_MS', DEFAULT_DRIFT_SCHEDULE.tumblingMs),
    slidingMs: positiveInteger(env, 'HUSH_DRIFT_SLIDING_MS', DEFAULT_DRIFT_SCHEDULE.slidingMs),
    slidingEveryMs: positiveInteger(env, 'HUSH_DRIFT_SLIDING_EVERY_MS', DEFAULT_DRIFT_SCHEDULE.slidingEveryMs),
  };
  const share = fromEnv(env, 'HUSH_DRIFT_SHARE', (raw) => resolveDriftOptions({ driftShare: Number(raw) }).driftShare);
  const psiMode = fromEnv(env, 'HUSH_DRIFT_PSI_MODE', (raw) => resolveDriftOptions({ psiMode: raw as DriftOptions['psiMode'] }).psiMode);
  const options = resolveDriftOptions(explicit.options ?? {
    ...(share === undefined ? {} : { driftShare: share }),
    ...(psiMode === undefined ? {} : { psiMode }),
  });
  const quiet = fromEnv(env, 'HUSH_RETRAIN_QUIET_HOURS', (raw) => resolveRetrainingPolicy({ quietHours: quietHours(raw) }).quietHours);
  const policy = resolveRetrainingPolicy(explicit.policy ?? {
    ...(quiet === undefined ? {} : { quietHours: quiet }),
    ...(env.HUSH_RETRAIN_MIN_INTERVAL_MS === undefined ? {} : { minIntervalMs: positiveInteger(env, 'HUSH_RETRAIN_MIN_INTERVAL_MS', 0) }),
  });
  return { kinds, schedule, options, policy };
}
