import { OUTCOME_KINDS, OUTCOME_SOURCES, type Outcome } from './outcome.js';
import { checkEnum, checkIdentity, checkTimestamp, guardParse, own, requireObject, resolveTenant } from './field-readers.js';
import { ID_RULES } from './parse-alert.js';
import { type ParseContext, type ParseResult, ROOT_FIELD } from './parse-result.js';

/** Validates and normalises one outcome (DESIGN §3); `at` becomes epoch ms. Never throws. */
export function parseOutcome(input: unknown, context: ParseContext): ParseResult<Outcome> {
  return guardParse(() => {
    const wire = requireObject(input, ROOT_FIELD, 'an outcome');
    return {
      tenant: resolveTenant(wire, context),
      alertId: checkIdentity(own(wire, 'alertId'), 'alertId', ID_RULES),
      outcome: checkEnum(own(wire, 'outcome'), 'outcome', OUTCOME_KINDS),
      at: checkTimestamp(own(wire, 'at'), 'at'),
      source: checkEnum(own(wire, 'source'), 'source', OUTCOME_SOURCES),
    };
  });
}
