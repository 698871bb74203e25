import type { CliCommand } from '../command.js';
import { parseCommandArgs } from '../command-args.js';
import { ProgressBar } from '../replay/progress-bar.js';
import { formatHoldout, requireTenant } from './models.js';
import { TrainingQueue, type TrainingStatus } from '../../queues/training-queue.js';
import { parseTrainingRequest } from '../../schemas/parse-training-request.js';
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

const POLL_MS = 500;
/** How long a job may sit waiting before the command says that no training worker seems to run. */
const IDLE_HINT_MS = 10_000;

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
      throw new HushError('HUSH_ERR_VALIDATION', `--${field.replace(/^params\./, 'params ')}: ${message}`);
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
      const status = await follow(queue, tenant, jobId, values.json ? undefined : new ProgressBar({ label: `training job ${jobId}`, total: 100 }));
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

/** Polls the job until it completes or finally fails (a retried attempt keeps it going). */
async function follow(queue: TrainingQueue, tenant: string, jobId: string, bar: ProgressBar | undefined): Promise<TrainingStatus> {
  const started = Date.now();
  let hinted = false;
  for (;;) {
    const status = await unavailableIfFailing(queue.status(tenant, jobId));
    if (status === null) throw new HushError('HUSH_ERR_NOT_FOUND', `training job ${jobId} disappeared from the queue`);
    const percent = Math.round((status.progress?.fraction ?? 0) * 100);
    if (status.state === 'completed' || status.state === 'failed') {
      bar?.finish(status.state === 'completed' ? 100 : percent);
      return status;
    }
    bar?.update(percent);
    if (!hinted && status.state === 'waiting' && Date.now() - started > IDLE_HINT_MS) {
      hinted = true;
      process.stderr.write(`\ntraining job ${jobId} is still waiting: is a training worker running? (hush fleet, or hush worker training)\n`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

function parseParams(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (thrown) {
    throw new HushError('HUSH_ERR_VALIDATION', `--params must be a JSON object of numbers, e.g. '{"n_estimators": 300}': ${coerceError(thrown).message}`);
  }
}

async function unavailableIfFailing<T>(operation: Promise<T>): Promise<T> {
  try {
    return await operation;
  } catch (thrown) {
    if (thrown instanceof HushError) throw thrown;
    const cause = coerceError(thrown);
    throw new HushError('HUSH_ERR_UNAVAILABLE', `Redis failed (HUSH_REDIS_URL): ${cause.message}`, { cause });
  }
}
