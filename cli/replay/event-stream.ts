import type { Alert } from '../../schemas/alert.js';
import type { Outcome } from '../../schemas/outcome.js';
import type { ParseResult } from '../../schemas/parse-result.js';
import { HushError } from '../../shared/errors/index.js';
import { eventTime } from '../../shared/baselines/alert-events.js';
import { readNdjson } from './ndjson-reader.js';

/** One replayed record in event-time order. */
export type ReplayEvent = { kind: 'alert'; time: number; alert: Alert } | { kind: 'outcome'; time: number; outcome: Outcome };

/** A line that could not be replayed, with why. */
export interface RejectedLine {
  file: string;
  line: number;
  message: string;
}

async function* validated<T>(
  path: string,
  parse: (value: unknown) => ParseResult<T>,
  time: (value: T) => number,
  onRejected: (rejected: RejectedLine) => void,
): AsyncGenerator<{ value: T; time: number }> {
  let previous = -Infinity;
  for await (const line of readNdjson(path)) {
    if (line.error !== undefined) {
      onRejected({ file: path, line: line.line, message: `not JSON: ${line.error}` });
      continue;
    }
    const result = parse(line.value);
    if (!result.ok) {
      onRejected({ file: path, line: line.line, message: `${result.error.field}: ${result.error.message}` });
      continue;
    }
    const t = time(result.value);
    if (t < previous) {
      throw new HushError('HUSH_ERR_VALIDATION', `${path}:${line.line} is earlier than the line before it; replay needs files sorted by event time (alerts by startsAt, resolved by endsAt; outcomes by at)`);
    }
    previous = t;
    yield { value: result.value, time: t };
  }
}

/**
 * Merges an alerts file and an optional outcomes file into one stream in event-time order (an outcome
 * is replayed when the stream reaches its `at`, or `outcomeLeadMs` earlier; its `time` stays `at`),
 * streaming both files.
 */
export async function* replayEvents(
  files: { alerts: string; outcomes?: string },
  parsers: { alert: (value: unknown) => ParseResult<Alert>; outcome: (value: unknown) => ParseResult<Outcome> },
  onRejected: (rejected: RejectedLine) => void,
  outcomeLeadMs = 0,
): AsyncGenerator<ReplayEvent> {
  const alerts = validated(files.alerts, parsers.alert, eventTime, onRejected);
  const outcomes = files.outcomes ? validated(files.outcomes, parsers.outcome, (o) => o.at, onRejected) : undefined;
  let nextAlert = await alerts.next();
  let nextOutcome = outcomes ? await outcomes.next() : undefined;
  while (!nextAlert.done || (nextOutcome && !nextOutcome.done)) {
    const takeOutcome = nextOutcome && !nextOutcome.done && (nextAlert.done || nextOutcome.value.time - outcomeLeadMs < nextAlert.value.time);
    if (takeOutcome && outcomes && nextOutcome && !nextOutcome.done) {
      yield { kind: 'outcome', time: nextOutcome.value.time, outcome: nextOutcome.value.value };
      nextOutcome = await outcomes.next();
    } else if (!nextAlert.done) {
      yield { kind: 'alert', time: nextAlert.value.time, alert: nextAlert.value.value };
      nextAlert = await alerts.next();
    }
  }
}
