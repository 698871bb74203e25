import type { CliCommand } from '../command.js';
import { NAB_RUN_USAGE, runNabRun } from './nab-run.js';
import { NAB_SCORE_USAGE, runNabScore } from './nab-score.js';
import { nabUsageError } from './nab-paths.js';

const USAGE = `hush nab score|run [options]   (the Numenta Anomaly Benchmark; see docs/nab.md)

${NAB_SCORE_USAGE}

${NAB_RUN_USAGE}`;

/** `hush nab`: runs metric anomaly detectors over a NAB corpus and scores them as NAB does. */
export const nabCommand: CliCommand = {
  name: 'nab',
  summary: 'run a metric detector over a NAB corpus, or score result files exactly as NAB does',
  usage: USAGE,
  async run(argv) {
    const [sub, ...rest] = argv;
    if (sub === 'score') return runNabScore(rest);
    if (sub === 'run') return runNabRun(rest);
    throw nabUsageError(sub === undefined ? 'expected a sub-command: score or run' : `unknown sub-command "${sub}"; expected score or run`, USAGE);
  },
};
