/**
 * The scoring feature schema (DESIGN §6). Every model records the version it was trained on; change the
 * list, its order or any meaning below and bump {@link FEATURE_SCHEMA_VERSION}.
 *
 * All features derive from the alert itself and from per-tenant state in Redis indexed by **event time**
 * (`alert.startsAt`); the wall clock never enters. Windows are inclusive `[startsAt − w, startsAt]` and
 * never count the alert being scored; outcomes count by their own event time `at`, when it is before
 * startsAt. Counts are raw (trees need no scaling; the trainers standardise).
 *
 * A feature's drift role is how drift detection reads it, not part of the vector: changing a role needs no
 * new version.
 *
 * Version 2: the rule feedback features count outcomes by `at` (version 1 counted the outcomes processed
 * by the time the alert was scored, which depended on the fleet's speed).
 *
 * Version 3: `fp_log_prev_duration` measures from the firing on record under the resolve's alert id. Version 2
 * took the resolve's own endsAt − startsAt, which is 0 for resolves that carry no start (PagerDuty, replayed
 * streams whose resolve line starts when it resolves): on `hush synth` streams the feature was always 0.
 */
export const FEATURE_SCHEMA_VERSION = 3;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Window lengths (ms) the feature store uses; part of the schema. */
export const FEATURE_WINDOWS = {
  fingerprintShort: HOUR,
  fingerprintLong: DAY,
  flap: 15 * MINUTE,
  ruleShort: HOUR,
  ruleLong: DAY,
  serviceCoFiringShort: 5 * MINUTE,
  serviceCoFiringLong: 30 * MINUTE,
  serviceSevere: 15 * MINUTE,
  tenantStorm: 5 * MINUTE,
  duplicate: 5 * MINUTE,
  /** Outcomes (by their time `at`) a rule's feedback features count. */
  ruleFeedback: 90 * DAY,
} as const;

/** Time spans (seconds) are capped here before `log1p`, so that "a week ago" and "a year ago" look alike. */
export const TIME_CAP_SECONDS = 7 * 24 * 3600;
/** Value of a time feature that is unknown ("never fired before", "duration never observed"). */
export const UNKNOWN_SENTINEL = -1;
/** Beta(1, 1) prior: the actionable rate of a rule without feedback is 0.5 and moves with evidence. */
export const RATE_PRIOR = { actionable: 1, noise: 1 } as const;

/**
 * What a feature's distribution says about the alert stream, for drift detection (docs/drift.md, "Drift
 * roles"). `behaviour`: what the alerts do; a shift is data drift. `calendar`: when the alert fired; a
 * window of one day or one hour differs from any training profile by construction. `history`: how much
 * feedback and firing history the tenant had accumulated when the alert fired; it grows with the
 * history, so a later window differs from the older training rows without the stream changing. Only
 * `behaviour` features count toward dataset drift; the others are judged and reported.
 */
export type FeatureDriftRole = 'behaviour' | 'calendar' | 'history';

/** The features in vector order, each with its meaning and drift role. */
export const FEATURES = [
  { name: 'sev_critical', meaning: '1 if severity is critical, else 0', drift: 'behaviour' },
  { name: 'sev_error', meaning: '1 if severity is error, else 0', drift: 'behaviour' },
  { name: 'sev_warning', meaning: '1 if severity is warning, else 0', drift: 'behaviour' },
  { name: 'sev_info', meaning: '1 if severity is info, else 0', drift: 'behaviour' },
  { name: 'hour_sin', meaning: 'sin(2π·h/24), h = UTC hour of day of startsAt (fractional)', drift: 'calendar' },
  { name: 'hour_cos', meaning: 'cos(2π·h/24), h as above', drift: 'calendar' },
  { name: 'is_weekend', meaning: '1 if startsAt falls on a UTC Saturday or Sunday', drift: 'calendar' },
  { name: 'fp_firings_1h', meaning: 'earlier firings of this fingerprint in the last 1 h', drift: 'behaviour' },
  { name: 'fp_firings_24h', meaning: 'earlier firings of this fingerprint in the last 24 h', drift: 'behaviour' },
  { name: 'fp_flaps_24h', meaning: 'firings of this fingerprint within 15 min of its previous resolve, last 24 h (this one included)', drift: 'behaviour' },
  { name: 'fp_log_secs_since_prev', meaning: 'log1p(seconds since the previous firing of this fingerprint), capped at 7 d; −1 if never', drift: 'history' },
  { name: 'fp_log_prev_duration', meaning: 'log1p(seconds the previous occurrence lasted, from its firing (as recorded under its alert id, else its resolve\'s startsAt) to its resolve), capped at 7 d; −1 if unknown', drift: 'history' },
  { name: 'rule_firings_1h', meaning: 'earlier firings of this rule (tenant + name) in the last 1 h', drift: 'behaviour' },
  { name: 'rule_firings_24h', meaning: 'earlier firings of this rule (tenant + name) in the last 24 h', drift: 'behaviour' },
  { name: 'svc_cofiring_fps_5m', meaning: 'distinct other fingerprints of this service firing in the last 5 min', drift: 'behaviour' },
  { name: 'svc_cofiring_fps_30m', meaning: 'distinct other fingerprints of this service firing in the last 30 min', drift: 'behaviour' },
  { name: 'svc_severe_15m', meaning: 'earlier critical or error firings of this service in the last 15 min', drift: 'behaviour' },
  { name: 'tenant_firing_5m', meaning: 'earlier firings anywhere in the tenant in the last 5 min (storm indicator)', drift: 'behaviour' },
  { name: 'dup_other_source_5m', meaning: 'firings of the same name + service from a different source in the last 5 min', drift: 'behaviour' },
  { name: 'label_count', meaning: 'number of labels', drift: 'behaviour' },
  { name: 'log1p_abs_value', meaning: 'log1p(|value|), 0 if the alert has no value', drift: 'behaviour' },
  { name: 'has_value', meaning: '1 if the alert carries a value', drift: 'behaviour' },
  { name: 'rule_actionable_rate', meaning: '(actionable + 1) / (actionable + noise + 2) over the outcomes of name + service with at in [startsAt − 90 d, startsAt)', drift: 'history' },
  { name: 'rule_log_outcomes', meaning: 'log1p(actionable + noise), the outcomes of name + service with at in [startsAt − 90 d, startsAt)', drift: 'history' },
] as const satisfies readonly { name: string; meaning: string; drift: FeatureDriftRole }[];

export type FeatureName = (typeof FEATURES)[number]['name'];

/** Feature names in vector order. */
export const FEATURE_NAMES: readonly FeatureName[] = FEATURES.map((feature) => feature.name);

/** Length of every feature vector of this schema. */
export const FEATURE_COUNT = FEATURES.length;

/** Index of a feature in the vector. */
export function featureIndex(name: FeatureName): number {
  return FEATURE_NAMES.indexOf(name);
}

/** The drift role of a feature by name; a name outside this schema (another model's vector) is `behaviour`. */
export function featureDriftRole(name: string): FeatureDriftRole {
  return FEATURES.find((feature) => feature.name === name)?.drift ?? 'behaviour';
}
