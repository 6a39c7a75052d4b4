import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../lambdas/cli/run-cli.js';
import { fakeIo } from './fake-io.js';
import { FIXTURES, requireBuiltCli, runCredhealth, STACK_TRACE } from './spawn-cli.js';

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'credhealth-prop-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/**
 * Random command lines built from the CLI's real words and values (good and bad) and from
 * arbitrary strings. `--output` only ever points into a scratch directory, so a run cannot
 * write into the checkout.
 */
function argvArbitrary(): fc.Arbitrary<string[]> {
  const value = fc.oneof(
    fc.constantFrom(
      join(FIXTURES, 'risky'),
      join(FIXTURES, 'clean'),
      join(FIXTURES, 'damaged'),
      join(FIXTURES, 'no-report'),
      '2026-11-20T12:00:00Z',
      '2026-11-20',
      'yesterday',
      '24h',
      '7d',
      '0h',
      'json',
      'text',
      'markdown',
      'csv',
      'html',
      'pdf',
      'critical',
      'low',
      'severe',
      'auto',
      's3',
      '/aws/lambda/a,/ecs/b',
      'arn:aws:iam::123456789012:role/a',
      'arn:aws:sns:eu-west-1:123456789012:t',
      'https://127.0.0.1:9/services/EXAMPLEKEY',
      'eu-west-1',
      '',
      '-',
      '--',
    ),
    fc.string({ maxLength: 12 }),
  );
  const option = fc.constantFrom(
    '--from-dir',
    '--now',
    '--format',
    '--lookback',
    '--config',
    '--fail-on',
    '--profile',
    '--region',
    '--role-arn',
    '--cloudtrail',
    '--log-groups',
    '--publish',
    '--slack-webhook',
    '--function',
    '--help',
    '--version',
    '-h',
    '--bogus',
  );
  const outputPair = fc
    .constantFrom('a.json', 'b/c.txt')
    .map((name) => ['--output', join(scratch, name)]);
  const token = fc.oneof(
    option.map((o) => [o]),
    fc.tuple(option, value).map(([o, v]) => [o, v]),
    value.map((v) => [v]),
    outputPair,
  );
  // Half the command lines start as a valid offline audit, so the random tail meets a real run.
  const offlineAudit = fc
    .constantFrom('risky', 'clean', 'damaged', 'no-report')
    .map((name) => ['audit', '--from-dir', join(FIXTURES, name), '--now', '2026-11-20T12:00:00Z']);
  const command = fc.oneof(
    offlineAudit,
    fc.constantFrom<string[]>(['audit'], ['invoke'], ['help'], [], ['audit', 'audit']),
  );
  return fc
    .tuple(command, fc.array(token, { maxLength: 4 }))
    .map(([head, tokens]) => [...head, ...tokens.flat()]);
}

describe('any command line', () => {
  it('ends in exit 0, 1, 2 or 3, and never with a stack trace (in process)', async () => {
    await fc.assert(
      fc.asyncProperty(argvArbitrary(), async (argv) => {
        // Prepare
        const { io, stderr } = fakeIo();
        // Act
        const code = await runCli(argv, io);
        // Assess
        expect([0, 1, 2, 3]).toContain(code);
        expect(stderr.text).not.toMatch(STACK_TRACE);
        expect(stderr.text).not.toContain('internal error');
      }),
      { numRuns: 200 },
    );
  });

  it('ends in exit 0, 1, 2 or 3, and never with a stack trace (the built binary)', async () => {
    requireBuiltCli();
    await fc.assert(
      fc.asyncProperty(argvArbitrary(), async (argv) => {
        // Act
        const run = await runCredhealth(argv);
        // Assess
        expect([0, 1, 2, 3]).toContain(run.code);
        expect(run.stderr).not.toMatch(STACK_TRACE);
      }),
      { numRuns: 25 },
    );
  }, 600_000); // 25 runs of the built CLI: seconds each, many times that on a loaded CI machine
});
