import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ClickHouseClient } from '@clickhouse/client';
import type { Redis } from 'ioredis';
import { countLabelledAlerts } from '../../shared/clickhouse/queries/count-labelled-alerts.js';
import { HushError } from '../../shared/errors/index.js';
import { EvaluationQueue } from '../../queues/evaluation-queue.js';
import { TrainingQueue } from '../../queues/training-queue.js';
import type { EvaluationJobResult, TrainingJob, TrainingJobResult } from '../../queues/jobs.js';
import { OutcomeQueue } from '../../queues/outcome-queue.js';
import { ProgressBar } from '../replay/progress-bar.js';
import { followTraining } from '../follow-training.js';
import { replay } from '../replay/replay.js';
import { buildReplayReport, type ReplayReport } from '../replay/replay-report.js';
import { SPLIT_FILES, splitDirOf, splitWorld, type WorldSplit } from './split-world.js';

/** Options of {@link runLearningLoop}. */
export interface LearningLoopOptions {
  /** A `hush synth` world directory. */
  worldDir: string;
  /** Event time splitting history (replayed with outcomes, trained on) from the live stream. */
  cutoff: number;
  tenant: string;
  redis: Redis;
  clickhouse: ClickHouseClient;
  prefix: string;
  family?: TrainingJob['family'];
  params?: Record<string, number>;
  /** One line per step. @defaultValue `console.log` */
  log?: (line: string) => void;
  /** Draw progress bars. @defaultValue `true` */
  progress?: boolean;
}

/** What the loop did and measured (DESIGN §5). */
export interface LearningLoopResult {
  split: WorldSplit;
  history: ReplayReport;
  training: TrainingJobResult;
  trainSeconds: number;
  evaluation: EvaluationJobResult;
  live: ReplayReport;
  /** The live stream and its truth, for scoring other systems on the same alerts. */
  liveAlertsPath: string;
  liveTruthPath: string;
}

/**
 * The noise benchmark protocol of DESIGN §5 against a running fleet: replay history with its outcomes
 * (cold start: everything notified), train, let evaluation promote or reject, then replay the live stream
 * without outcomes and judge its decisions against the held-back truth.
 */
export async function runLearningLoop(options: LearningLoopOptions): Promise<LearningLoopResult> {
  const { tenant, redis, clickhouse, prefix } = options;
  const log = options.log ?? ((line: string) => console.log(line));
  const progress = options.progress ?? true;
  const splitDir = splitDirOf(options.worldDir, options.cutoff);
  const split = await splitWorld(options.worldDir, options.cutoff, splitDir);
  log(`history: ${split.historyFiring} firing alerts with ${split.historyOutcomes} outcomes; live: ${split.liveFiring} firing alerts, no outcomes`);

  log('replaying history (alerts + outcomes)…');
  const historyRun = await replay({ alertsPath: join(splitDir, SPLIT_FILES.historyAlerts), outcomesPath: join(splitDir, SPLIT_FILES.historyOutcomes), tenant, redis, clickhouse, prefix, progress });
  if (historyRun.lost > 0) throw new HushError('HUSH_ERR_INTERNAL', `${historyRun.lost} history alerts got no decision`);
  await awaitLabels(clickhouse, redis, prefix, tenant, historyRun.outcomes, progress);
  const history = await buildReplayReport(historyRun);

  log(`training ${options.family ?? 'gbdt'} on the stored features of the labelled history…`);
  const training = new TrainingQueue({ connection: redis, prefix });
  const evaluation = new EvaluationQueue({ connection: redis, prefix });
  try {
    const started = performance.now();
    const jobId = await training.request({ tenant, kind: 'noise', family: options.family ?? 'gbdt', params: options.params ?? {}, requestedBy: 'learning-loop' });
    const status = await followTraining(training, tenant, jobId, progress ? new ProgressBar({ label: 'training', total: 100 }) : undefined);
    if (status.state !== 'completed' || !status.result) throw new HushError('HUSH_ERR_INTERNAL', `training failed: ${status.failedReason ?? 'no reason recorded'}`);
    const trained = status.result;
    const trainSeconds = (performance.now() - started) / 1000;
    log(`registered ${trained.modelId} in ${trainSeconds.toFixed(1)} s; evaluating it against the champion…`);
    const verdict = await evaluation.evaluateNow({ tenant, kind: 'noise' });
    log(`evaluation: ${verdict.action} — ${verdict.reason}`);

    log('replaying the live stream (alerts only)…');
    const liveAlertsPath = join(splitDir, SPLIT_FILES.liveAlerts);
    const liveTruthPath = join(splitDir, SPLIT_FILES.liveTruth);
    // One alert per job, as collectors send them, so per-alert scoring latency is what it measures.
    const liveRun = await replay({ alertsPath: liveAlertsPath, tenant, redis, clickhouse, prefix, progress, single: true });
    const live = await buildReplayReport(liveRun, liveTruthPath);
    return { split, history, training: trained, trainSeconds, evaluation: verdict, live, liveAlertsPath, liveTruthPath };
  } finally {
    await training.close();
    await evaluation.close();
  }
}

/** Waits until the outcomes worker has stored the replayed labels (they train the model). */
async function awaitLabels(clickhouse: ClickHouseClient, redis: Redis, prefix: string, tenant: string, outcomes: number, progress: boolean): Promise<void> {
  const queue = new OutcomeQueue({ connection: redis, prefix });
  const bar = progress ? new ProgressBar({ label: 'outcomes: stored', total: outcomes }) : undefined;
  try {
    let stored = 0;
    let unchangedSince = Date.now();
    for (;;) {
      const now = await countLabelledAlerts(clickhouse, tenant);
      bar?.update(now);
      const counts = await queue.bullQueue.getJobCounts('waiting', 'active');
      if ((counts.waiting ?? 0) + (counts.active ?? 0) === 0 && now === stored && Date.now() - unchangedSince > 1_000) break;
      if (now !== stored) {
        stored = now;
        unchangedSince = Date.now();
      }
      await sleep(250);
    }
    bar?.finish(stored);
  } finally {
    await queue.close();
  }
}
