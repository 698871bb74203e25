import type { CliCommand } from '../command.js';
import { downCommand } from './down.js';
import { upCommand } from './up.js';
import { synthCommand } from './synth.js';
import { fleetCommand } from './fleet.js';
import { workerCommand } from './worker.js';
import { replayCommand } from './replay.js';
import { demoCommand } from './demo.js';
import { nabCommand } from './nab.js';
import { modelsCommand } from './models.js';
import { trainCommand } from './train.js';
import { baselinesCommand } from './baselines.js';
import { driftCommand } from './drift.js';
import { journalCommand } from './journal.js';

/** Every `hush` sub-command, in the order `hush --help` lists them. */
export const COMMANDS: readonly CliCommand[] = [demoCommand, upCommand, downCommand, fleetCommand, workerCommand, synthCommand, replayCommand, baselinesCommand, trainCommand, modelsCommand, driftCommand, journalCommand, nabCommand];
