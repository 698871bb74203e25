import type { CliCommand } from '../command.js';
import { hostRoles } from '../../shared/process/role-host.js';
import { ROLES } from '../../workers/roles.js';

/** `hush fleet`: every role in one process, for local use. */
export const fleetCommand: CliCommand = {
  name: 'fleet',
  summary: `run every role (${Object.keys(ROLES).join(', ')}) in one process until SIGTERM/SIGINT`,
  usage: 'hush fleet',
  async run(argv) {
    if (argv.length > 0) {
      console.error(`hush fleet: unexpected argument "${argv[0]}"`);
      return 2;
    }
    await hostRoles({ roles: Object.entries(ROLES) });
    return new Promise<number>(() => {
      // Runs until a signal; the role host exits the process after a graceful stop.
    });
  },
};
