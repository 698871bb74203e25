import { describe, expect, it } from 'vitest';
import { parseOutcome } from '../../schemas/parse-outcome.js';
import { expectFieldError, valueOf } from './fixtures.js';

const context = { tenant: 'acme' };
const valid = { alertId: 'a1b2c3', outcome: 'actionable', at: '2024-05-01T13:00:00+02:00', source: 'human' };

describe('parseOutcome', () => {
  it('normalises an outcome: caller tenant and epoch ms', () => {
    expect(valueOf(parseOutcome(valid, context))).toEqual({ tenant: 'acme', alertId: 'a1b2c3', outcome: 'actionable', at: Date.UTC(2024, 4, 1, 11), source: 'human' });
  });

  it('drops unknown fields', () => {
    expect(Object.keys(valueOf(parseOutcome({ ...valid, note: 'x' }, context))).sort()).toEqual(['alertId', 'at', 'outcome', 'source', 'tenant']);
  });

  it('refuses another tenant', () => {
    expectFieldError(parseOutcome({ ...valid, tenant: 'globex' }, context), 'tenant', 'HUSH_ERR_FORBIDDEN_TENANT');
  });

  it.each([
    ['alertId', undefined],
    ['alertId', ''],
    ['alertId', 'x'.repeat(129)],
    ['alertId', 'bad\ud800'],
    ['outcome', 'useful'],
    ['outcome', undefined],
    ['at', '2024-05-01'],
    ['at', undefined],
    ['source', 'robot'],
    ['source', undefined],
  ])('rejects %s = %j naming the field', (field, value) => {
    expectFieldError(parseOutcome({ ...valid, [field]: value }, context), field);
  });

  it.each([null, [], 'x'])('rejects a non-object input %j', (input) => {
    expectFieldError(parseOutcome(input, context), '(root)');
  });
});
