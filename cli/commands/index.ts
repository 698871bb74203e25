import type { CliCommand } from '../command.js';

/** Every `hush` sub-command, in the order `hush --help` lists them. */
export const COMMANDS: readonly CliCommand[] = [];
