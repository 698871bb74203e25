import type { CliCommand } from '../command.js';
import { stopLocalServices, type StopLocalServicesOptions } from '../../shared/services/index.js';

/** `hush down`: stops the local services `hush up` started, and nothing else. */
export function createDownCommand(options: StopLocalServicesOptions = {}): CliCommand {
  return {
    name: 'down',
    summary: 'stop the local Redis and ClickHouse that `hush up` started (services it found running are left alone)',
    usage: 'hush down   (HUSH_HOME chooses the directory)',
    async run(argv) {
      if (argv.length > 0) {
        console.error(`hush down: unexpected argument "${argv[0]}"`);
        return 2;
      }
      const { stopped, home } = await stopLocalServices(options);
      if (stopped.length === 0) {
        console.log(`nothing to stop: no service started by hush is running (${home})`);
      } else {
        for (const s of stopped) console.log(`stopped ${s.name} (pid ${s.pid}${s.signal === 'SIGKILL' ? ', killed after the grace period' : ''})`);
      }
      return 0;
    },
  };
}

/** `hush down` with its defaults. */
export const downCommand: CliCommand = createDownCommand();
