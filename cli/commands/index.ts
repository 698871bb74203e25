import type { CliCommand } from '../command.js';
import { downCommand } from './down.js';
import { upCommand } from './up.js';
import { synthCommand } from './synth.js';

/** Every `hush` sub-command, in the order `hush --help` lists them. */
export const COMMANDS: readonly CliCommand[] = [upCommand, downCommand, synthCommand];
