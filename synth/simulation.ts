import { AlertScheduler } from './alert-scheduler.js';
import { driftServices, type DriftMechanism } from './drift-episode.js';
import { BackgroundNoise } from './mechanisms/background.js';
import { BriefRealProblems } from './mechanisms/brief-real-problems.js';
import { ChronicNoise } from './mechanisms/chronic.js';
import { FalseAlarmCascades } from './mechanisms/false-alarm-cascades.js';
import { Flapping } from './mechanisms/flapping.js';
import { Incidents } from './mechanisms/incidents.js';
import { IsolatedProblems } from './mechanisms/isolated-problems.js';
import { MaintenanceWindows } from './mechanisms/maintenance.js';
import { DAY, HOUR, type AlertMechanism, type MechanismContext } from './mechanisms/mechanism-context.js';
import { TransientSpikes } from './mechanisms/transient.js';
import { Prng } from './prng.js';
import type { AlertEvent, OutcomeEvent } from './synth-alert.js';
import type { WorldPlan } from './world-plan.js';

type MechanismClass = new (ctx: MechanismContext) => AlertMechanism;

/** Fixed order: each mechanism draws from its own stream, so adding one never reshuffles the others. */
const MECHANISM_CLASSES: readonly [DriftMechanism, MechanismClass][] = [
  ['flapping', Flapping],
  ['transient', TransientSpikes],
  ['chronic', ChronicNoise],
  ['background', BackgroundNoise],
  ['maintenance', MaintenanceWindows],
  ['incidents', Incidents],
  ['false-alarm-cascades', FalseAlarmCascades],
  ['isolated-problems', IsolatedProblems],
  ['brief-real-problems', BriefRealProblems],
];

/**
 * Runs the world hour by hour and yields alert and outcome events in event-time order (alerts and
 * outcomes each sorted; an hour's alerts come before its outcomes). Events at or after `endMs` never
 * happen: alerts still firing at the end have no resolved line, late feedback never arrives.
 * Only the events of episodes still in flight are held in memory.
 */
export function* simulate(plan: WorldPlan): Generator<AlertEvent | OutcomeEvent> {
  const { options, topology } = plan;
  const scheduler = new AlertScheduler(options.seed, options);
  const mechanisms = MECHANISM_CLASSES.map(([name, Mechanism]) =>
    new Mechanism({ topology, scheduler, rate: plan.rate, prng: new Prng(options.seed, `mechanism:${name}`) }));
  // Drift episodes run after the ordinary mechanisms, each from its own streams; without episodes nothing changes.
  mechanisms.push(...driftMechanisms(plan, scheduler));
  for (let from = plan.startMs; from < plan.endMs; from += HOUR) {
    const to = Math.min(from + HOUR, plan.endMs);
    for (const mechanism of mechanisms) mechanism.generate(from, to);
    // Every episode starting later starts at or after `to`, so anything earlier is final.
    for (let next = scheduler.alerts.peek(); next && next.t < to; next = scheduler.alerts.peek()) yield scheduler.alerts.pop() as AlertEvent;
    for (let next = scheduler.outcomes.peek(); next && next.t < to; next = scheduler.outcomes.peek()) yield scheduler.outcomes.pop() as OutcomeEvent;
  }
}

/**
 * The extra mechanisms of the world's drift episodes: for each episode and raised mechanism, the same
 * mechanism class run over the affected services only, at (multiplier − 1) × the world's rate, and only
 * in the hours the episode lasts.
 */
function driftMechanisms(plan: WorldPlan, scheduler: AlertScheduler): AlertMechanism[] {
  const { options, topology } = plan;
  return options.drift.flatMap((episode, index) => {
    const services = driftServices(options.seed, index, episode, topology);
    const affected = { services, rules: services.flatMap((s) => s.rules) };
    const from = plan.startMs + episode.startDay * DAY;
    const to = from + episode.days * DAY;
    return MECHANISM_CLASSES.flatMap(([name, Mechanism]) => {
      const multiplier = episode.rates[name];
      if (multiplier === undefined || multiplier <= 1) return [];
      const inner = new Mechanism({ topology: affected, scheduler, rate: plan.rate * (multiplier - 1), prng: new Prng(options.seed, `drift:${index}:${name}`) });
      return [{ generate: (hourFrom: number, hourTo: number): void => (hourFrom >= from && hourFrom < to ? inner.generate(hourFrom, hourTo) : undefined) }];
    });
  });
}

/** Narrows a simulation event to an alert line. */
export function isAlertEvent(event: AlertEvent | OutcomeEvent): event is AlertEvent {
  return 'status' in event;
}
