import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateTopicCommand } from '@aws-sdk/client-sns';
import { beforeAll, describe, expect, it } from 'vitest';
import { AwsApiError } from '../../lambdas/adapters/aws-errors.js';
import { publishMessages } from '../../lambdas/adapters/sns-publisher.js';
import type { Report } from '../../lambdas/core/report.js';
import { buildNotifications } from '../../lambdas/render/notifications/build-notifications.js';
import { ROOT, requireBuiltCli, runCredhealth, STACK_TRACE } from '../cli/spawn-cli.js';
import { motoClients, motoEndpoint, REGION } from '../integration/moto-aws.js';
import { ensureCredentialReport, fakeTime, faultyMotoClients, uniqueName } from './support.js';

/**
 * Faults demonstrated as a user meets them: the built `credhealth` with CREDHEALTH_FAULTS set,
 * against moto. Every failure is one line on stderr with the exit code of PRODUCT.md.
 */

const DEMO = join(ROOT, 'examples', 'demo-account');
const NOW = '2026-11-20T12:00:00Z';
let topicArn: string;
let moto: Record<string, string>;

beforeAll(async () => {
  requireBuiltCli();
  await ensureCredentialReport();
  moto = { AWS_ENDPOINT_URL: motoEndpoint(), AWS_REGION: REGION };
  const topic = await motoClients().sns.send(
    new CreateTopicCommand({ Name: uniqueName('reliability') }),
  );
  topicArn = topic.TopicArn ?? '';
});

function errorLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line.startsWith('credhealth: error:'));
}

describe('SNS publish failures', () => {
  it('the adapter throws on a failed Publish, so a Lambda invocation fails and is retried', async () => {
    // Prepare
    const { clients } = faultyMotoClients('sns:Publish=InternalError', fakeTime());
    const report = JSON.parse(
      readFileSync(join(ROOT, 'test', 'fixtures', 'reports', 'sample-report.json'), 'utf8'),
    ) as Report;
    const [first] = buildNotifications(report);

    // Act
    const error = await publishMessages(clients.sns, topicArn, first ? [first] : []).catch(
      (e: unknown) => e,
    );

    // Assess
    expect(error).toBeInstanceOf(AwsApiError);
    expect((error as Error).message).toBe(
      'sns:Publish failed: InternalError: InternalError injected by CREDHEALTH_FAULTS on sns:Publish',
    );
  });

  it('credhealth audit --publish exits non-zero and says what was not sent', async () => {
    // Act
    const run = await runCredhealth(
      ['audit', '--from-dir', DEMO, '--now', NOW, '--format', 'json', '--publish', topicArn],
      { ...moto, CREDHEALTH_FAULTS: 'sns:*=InternalError' },
    );

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).not.toMatch(STACK_TRACE);
    const lines = errorLines(run.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^credhealth: error: publishing to arn:aws:sns:\S+ failed, so some or all of \d+ incident summaries and \d+ reminder digests \(\d+ messages\) were not sent: sns:PublishBatch failed: InternalError/,
    );
    // The report itself was delivered before the publish step.
    expect((JSON.parse(run.stdout) as Report).schemaVersion).toBe(1);
  });

  it('a throttling burst on PublishBatch is retried by the SDK and everything is sent', async () => {
    // Act
    const run = await runCredhealth(
      ['audit', '--from-dir', DEMO, '--now', NOW, '--format', 'json', '--publish', topicArn],
      { ...moto, CREDHEALTH_FAULTS: 'sns:PublishBatch=Throttling*2', AWS_MAX_ATTEMPTS: '3' },
    );

    // Assess
    expect(run.stderr).not.toMatch(STACK_TRACE);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(
      /credhealth: published \d+ incident summaries and \d+ reminder digests/,
    );
  });
});

describe('live audit faults through the CLI', () => {
  it('a credential report stuck in progress ends at the time budget with exit 3 and one line', async () => {
    // Act: the waits are 2 s then 4 s, on the real clock. A 5 s budget lets the first one start
    // for as long as the calls before it take under 3 s (a loaded machine needs that slack),
    // and never lets the second one start (2 + 4 s > 5 s whatever the calls take).
    const run = await runCredhealth(['audit', '--format', 'json', '--cloudtrail', 'lookup'], {
      ...moto,
      CREDHEALTH_FAULTS: 'iam:GetCredentialReport=ReportInProgress',
      CREDHEALTH_TIME_BUDGET: '5s',
    });

    // Assess
    expect(run.code).toBe(3);
    expect(run.stdout).toBe('');
    expect(run.stderr).not.toMatch(STACK_TRACE);
    expect(errorLines(run.stderr)).toEqual([
      expect.stringMatching(
        /^credhealth: error: IAM credential report not ready before the run's time budget ran out at \S+ \(a 4000 ms wait would pass it\); the audit needs it, try again later$/,
      ),
    ]);
  });

  it('CloudTrail timing out: exit 0, a report, the cloudtrail source degraded with the reason', async () => {
    // Act
    const run = await runCredhealth(['audit', '--format', 'json', '--cloudtrail', 'lookup'], {
      ...moto,
      CREDHEALTH_FAULTS: 'cloudtrail:*=timeout',
    });

    // Assess
    expect(run.stderr).not.toMatch(STACK_TRACE);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.sources.find((s) => s.name === 'cloudtrail')).toMatchObject({
      status: 'degraded',
    });
    expect(report.sources.find((s) => s.name === 'cloudtrail')?.detail).toContain(
      'TimeoutError injected by CREDHEALTH_FAULTS on cloudtrail:LookupEvents',
    );
    expect(report.sources.find((s) => s.name === 'iam-credential-report')?.status).toBe('ok');
  });

  it.each([
    [
      'CREDHEALTH_FAULTS',
      'iam=Throttling',
      /^credhealth: error: CREDHEALTH_FAULTS: "iam=Throttling" is not/,
    ],
    [
      'CREDHEALTH_TIME_BUDGET',
      'soon',
      /^credhealth: error: CREDHEALTH_TIME_BUDGET: "soon" is not a duration/,
    ],
  ])('a bad %s is refused with exit 2 and one line', async (name, value, line) => {
    // Act
    const run = await runCredhealth(['audit', '--format', 'json'], { ...moto, [name]: value });

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).not.toMatch(STACK_TRACE);
    expect(errorLines(run.stderr)).toEqual([expect.stringMatching(line)]);
  });
});
