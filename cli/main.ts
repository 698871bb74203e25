import { COMMANDS } from './commands/index.js';
import { HushError, coerceError } from '../shared/errors/index.js';
import { UsageError } from './errors/usage-error.js';

function printHelp(): void {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  console.log('usage: hush <command> [options]\n\ncommands:');
  for (const command of COMMANDS) console.log(`  ${command.name.padEnd(width)}  ${command.summary}`);
  console.log('\n`hush <command> --help` shows a command\'s options.');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    printHelp();
    return name ? 0 : 2;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    console.error(`hush: unknown command "${name}"`);
    printHelp();
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(`usage: ${command.usage}\n\n${command.summary}`);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (thrown) {
    const err = coerceError(thrown);
    console.error(err instanceof HushError ? `hush ${name}: ${err.code}: ${err.message}` : `hush ${name}: ${err.stack ?? err.message}`);
    // docs/cli.md: 2 for a bad command line, 1 for a failure while running.
    return err instanceof UsageError ? 2 : 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
