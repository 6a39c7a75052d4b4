import { runCli } from '../lambdas/cli/run-cli.js';

/**
 * The `credhealth` entry, bundled into dist/credhealth.mjs: the composition root, the one place
 * that reads the process (argv, env, clock, terminals) and sets the exit code.
 */

// `credhealth audit … | head` closes stdout early; that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
});

// The AWS SDK warns, in seven lines on stderr, that its releases after January 2027 will need
// Node 22. That is for whoever upgrades our dependencies, not for someone running an audit,
// and it would break the CLI's promise of one clear line. A user can still turn it back on.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  clock: () => new Date(),
});
