import { describe, expect, it } from 'vitest';
import { fleetCommand } from '../../cli/commands/fleet.js';
import { ROLES } from '../../workers/roles.js';

describe('hush fleet', () => {
  it('names in its summary every role it starts', () => {
    for (const role of Object.keys(ROLES)) expect(fleetCommand.summary).toContain(role);
  });
});
