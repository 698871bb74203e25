import { describe, expect, it } from 'vitest';
import { SeverityFilter } from '../../shared/baselines/index.js';
import { stream } from './alert-stream.js';
import { view } from './decisions-view.js';

const alerts = stream([
  { id: 'c', from: 0, severity: 'critical' },
  { id: 'e', from: 1, severity: 'error', to: 2 },
  { id: 'w', from: 3, severity: 'warning' },
  { id: 'i', from: 4, severity: 'info' },
]);

describe('SeverityFilter', () => {
  it('notifies critical and error at once and suppresses warning and info', () => {
    expect(view(new SeverityFilter().decide(alerts))).toEqual({
      c: 'notify +0s severity_critical',
      e: 'notify +0s severity_error',
      i: 'suppress severity_info',
      w: 'suppress severity_warning',
    });
  });

  it('suppresses the configured severities', () => {
    expect(view(new SeverityFilter({ suppress: ['info'] }).decide(alerts))).toMatchObject({ w: 'notify +0s severity_warning', i: 'suppress severity_info' });
  });

  it('fails fast on an unknown severity, naming the option', () => {
    expect(() => new SeverityFilter({ suppress: ['minor' as 'info'] })).toThrow(/severity-filter option "suppress" must be a list of critical, error, warning, info/);
  });
});
