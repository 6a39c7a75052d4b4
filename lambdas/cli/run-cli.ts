import { CommanderError } from 'commander';
import { runAuditCommand, runInvokeCommand } from './audit-command.js';
import type { CliIo } from './cli-io.js';
import { EXIT_CODES, errorLine, exitCodeFor } from './exit-codes.js';
import { createProgram } from './program.js';
import { createProgressBar } from './progress.js';

/**
 * Runs the `credhealth` command line and returns the exit code; never exits the process and
 * never throws. Every failure ends as one line on stderr (`credhealth: error: …`) and the code
 * of {@link EXIT_CODES}.
 *
 * @param argv the arguments after the program name (`process.argv.slice(2)`).
 * @example process.exitCode = await runCli(process.argv.slice(2), io);
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const progress = createProgressBar(io.stderr);
  let exitCode: number = EXIT_CODES.ok;
  const program = createProgram(
    {
      audit: async (options) => {
        exitCode = await runAuditCommand(options, io, progress);
      },
      invoke: async (options) => {
        exitCode = await runInvokeCommand(options, io);
      },
    },
    io.stdout,
    io.stderr,
  );
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    progress.clear();
    // Commander has already printed its one line (or the help) before throwing.
    if (!(error instanceof CommanderError)) {
      io.stderr.write(errorLine(error, io.env.CREDHEALTH_DEBUG === '1'));
    }
    return exitCodeFor(error);
  }
}
