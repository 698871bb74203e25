// A process hosting one fake role, for the signal tests in role-host.test.ts. FIXTURE_START_MS delays the
// role's start; FIXTURE_STOP=hang makes its stop never finish (as BullMQ's close does while Redis is down).
import { setTimeout as sleep } from 'node:timers/promises';
import { hostRoles } from '../../shared/process/role-host.js';

const startMs = Number(process.env.FIXTURE_START_MS ?? 0);
const hangStop = process.env.FIXTURE_STOP === 'hang';

await hostRoles({
  roles: [
    [
      'fake',
      async ({ logger }) => {
        logger.info('fake starting');
        await sleep(startMs);
        return {
          name: 'fake',
          checks: {},
          async stop() {
            logger.info('fake stopping');
            if (hangStop) await new Promise(() => setInterval(() => undefined, 1000));
          },
        };
      },
    ],
  ],
});
