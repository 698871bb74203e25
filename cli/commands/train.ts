import type { CliCommand } from '../command.js';
import { parseCommandArgs } from '../command-args.js';
import { UsageError } from '../errors/usage-error.js';
import { ProgressBar } from '../replay/progress-bar.js';
import { followTraining, unavailableIfFailing } from '../follow-training.js';
import { formatHoldout, requireTenant } from './models.js';
import { TrainingQueue } from '../../queues/training-queue.js';
import { parseTrainingRequest } from '../../schemas/parse-training-request.js';
import { checkTrainingParams } from '../../workers/training/training-params.js';
import { loadConfig } from '../../shared/config/config.js';
import { HushError, coerceError } from '../../shared/errors/index.js';
import { createRedis } from '../../shared/redis/connection.js';

const USAGE = `hush train --tenant T [--family gbdt|mlp] [--kind K] [--params JSON] [--no-wait] [--json]

  --tenant T     tenant whose stored features and outcomes to train on (required)
  --family F     gbdt (default) or mlp
  --kind K       model kind (default noise)
  --params JSON  hyper-parameters, e.g. '{"n_estimators": 300}' (docs/models.md lists them)
  --no-wait      print the job id and return at once (a training worker runs the job)
  --json         print the job id, or the finished job, as one JSON object

Without --no-wait it shows the job's progress until it completes, then prints the model id and its
holdout metrics; a failed job prints the reason and exits 1. While a training of the same tenant and
kind waits or runs, the command follows that job instead of queueing a second.`;

/** `hush train`: queues a training through the `training` queue and follows it (issue 3). */
export const trainCommand: CliCommand = {
  name: 'train',
  summary: "train a model on a tenant's labelled alerts and show the progress",
  usage: USAGE,
  async run(argv) {
    const { values } = parseCommandArgs(argv, USAGE, {
      tenant: { type: 'string' },
      family: { type: 'string' },
      kind: { type: 'string' },
      params: { type: 'string' },
      'no-wait': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    });
    const tenant = requireTenant(values.tenant);
    const request = parseTrainingRequest(
      { family: values.family, kind: values.kind, params: values.params === undefined ? undefined : parseParams(values.params) },
      { tenant, requestedBy: 'cli' },
    );
    if (!request.ok) {
      const { field, message } = request.error;
      throw new UsageError(`--${field.replace(/^params\./, 'params ')}: ${message}`);
    }
    try {
      checkTrainingParams(request.value);
    } catch (thrown) {
      // A value of --params out of its range: as bad a command line as a malformed one.
      throw thrown instanceof HushError && thrown.code === 'HUSH_ERR_VALIDATION' ? new UsageError(thrown.message) : thrown;
    }
    const config = loadConfig();
    // Fail instead of waiting forever when Redis is down (workers wait; a CLI should not).
    const redis = createRedis(config.redisUrl, { maxRetriesPerRequest: 1 });
    redis.on('error', () => undefined);
    const queue = new TrainingQueue({ connection: redis, prefix: config.queuePrefix });
    queue.bullQueue.on('error', () => undefined);
    try {
      const jobId = await unavailableIfFailing(queue.request(request.value));
      if (values['no-wait']) {
        console.log(values.json ? JSON.stringify({ jobId }) : `queued training job ${jobId} (${request.value.family}, kind ${request.value.kind}) for tenant ${tenant}`);
        return 0;
      }
      const status = await followTraining(queue, tenant, jobId, values.json ? undefined : new ProgressBar({ label: `training job ${jobId}`, total: 100 }));
      if (values.json) console.log(JSON.stringify(status));
      if (status.state === 'failed') {
        console.error(`training job ${jobId} failed: ${status.failedReason ?? 'no reason recorded'}`);
        return 1;
      }
      if (!values.json) {
        const result = status.result;
        console.log(`trained ${result?.modelId ?? '?'} (version ${result?.version ?? '?'}) for tenant ${tenant}`);
        console.log(`holdout: ${formatHoldout(result?.metrics ?? {})}`);
        console.log(`it is a challenger until evaluation promotes it, or: hush models promote ${result?.modelId ?? 'ID'} --tenant ${tenant}`);
      }
      return 0;
    } finally {
      await queue.close().catch(() => undefined);
      redis.disconnect();
    }
  },
};

function parseParams(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (thrown) {
    throw new UsageError(`--params must be a JSON object of numbers, e.g. '{"n_estimators": 300}': ${coerceError(thrown).message}`);
  }
}
