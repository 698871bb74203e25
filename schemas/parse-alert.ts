import { ALERT_STATUSES, type Alert, SEVERITIES } from './alert.js';
import {
  checkEnum,
  checkIdentity,
  checkTimestamp,
  fail,
  guardParse,
  mergeLabels,
  optionalFiniteNumber,
  optionalIdentity,
  optionalText,
  own,
  requireObject,
  resolveTenant,
} from './field-readers.js';
import { MAX_SUMMARY_BYTES, finishAlert } from './normalise-alert.js';
import { type ParseContext, type ParseResult, ROOT_FIELD } from './parse-result.js';

export const ID_RULES = { min: 1, max: 128 } as const;
export const NAME_RULES = { min: 1, max: 256 } as const;

/** Optional `endsAt`: null or absent means still firing (or end unknown). */
export function optionalEndsAt(value: unknown, startsAt: number): number | null {
  if (value === undefined || value === null) return null;
  const endsAt = checkTimestamp(value, 'endsAt');
  if (endsAt < startsAt) fail('endsAt', 'endsAt must not be earlier than startsAt');
  return endsAt;
}

/**
 * Validates and normalises one alert in the native format (DESIGN §2). Unknown fields are ignored
 * and dropped; summary and label values leave PII-stripped. Never throws.
 */
export function parseAlert(input: unknown, context: ParseContext): ParseResult<Alert> {
  return guardParse(() => {
    const wire = requireObject(input, ROOT_FIELD, 'an alert');
    const tenant = resolveTenant(wire, context);
    const startsAt = checkTimestamp(own(wire, 'startsAt'), 'startsAt');
    return finishAlert({
      id: optionalIdentity(own(wire, 'id'), 'id', ID_RULES),
      fingerprint: optionalIdentity(own(wire, 'fingerprint'), 'fingerprint', ID_RULES),
      tenant,
      source: checkIdentity(own(wire, 'source'), 'source', NAME_RULES),
      name: checkIdentity(own(wire, 'name'), 'name', NAME_RULES),
      service: checkIdentity(own(wire, 'service'), 'service', NAME_RULES),
      severity: checkEnum(own(wire, 'severity'), 'severity', SEVERITIES),
      status: checkEnum(own(wire, 'status'), 'status', ALERT_STATUSES),
      startsAt,
      endsAt: optionalEndsAt(own(wire, 'endsAt'), startsAt),
      summary: optionalText(own(wire, 'summary'), 'summary', MAX_SUMMARY_BYTES),
      labels: mergeLabels([{ value: own(wire, 'labels'), field: 'labels' }]),
      value: optionalFiniteNumber(own(wire, 'value'), 'value'),
    });
  });
}
