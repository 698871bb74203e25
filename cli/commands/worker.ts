import type { CliCommand } from '../command.js';
import { hostRoles } from '../../shared/process/role-host.js';
import { ROLES, isRoleName } from '../../workers/roles.js';

/** `hush worker <role>`: one role per process, for scaled deployments. */
export const workerCommand: CliCommand = {
  name: 'worker',
  summary: `run one role (${Object.keys(ROLES).join(', ')}) until SIGTERM/SIGINT`,
  usage: `hush worker <${Object.keys(ROLES).join('|')}>`,
  async run(argv) {
    const [role, extra] = argv;
    if (!role || !isRoleName(role) || extra !== undefined) {
      console.error(`hush worker: expected exactly one role of ${Object.keys(ROLES).join(', ')}, got ${argv.length ? `"${argv.join(' ')}"` : 'none'}`);
      return 2;
    }
    await hostRoles({ roles: [[role, ROLES[role]]] });
    return new Promise<number>(() => {
      // Runs until a signal; the role host exits the process after a graceful stop.
    });
  },
};
