import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTopicCommand } from '@aws-sdk/client-sns';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../lambdas/core/report.js';
import { requireBuiltCli, runCredhealth, STACK_TRACE } from '../cli/spawn-cli.js';
import { motoClients, motoEndpoint, REGION } from './moto-aws.js';

/**
 * `credhealth audit` live, as a user runs it: the built CLI with AWS_ENDPOINT_URL pointing at
 * moto (the v3 SDK reads it natively) and fake credentials in the environment.
 */

const NOW = '2027-03-01T12:00:00Z';

describe('credhealth audit (live, against moto)', () => {
  let endpoint: string;

  beforeAll(() => {
    requireBuiltCli();
    endpoint = motoEndpoint();
  });

  it('audits the account and says how many API calls each source made', async () => {
    const run = await runCredhealth(
      ['audit', '--now', NOW, '--format', 'json', '--cloudtrail', 's3'],
      {
        AWS_ENDPOINT_URL: endpoint,
        AWS_REGION: REGION,
      },
    );

    expect(run.stderr).not.toMatch(STACK_TRACE);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.account.id).toBe('123456789012');
    const calls = Object.fromEntries(report.sources.map((s) => [s.name, s.apiCalls]));
    expect(calls['iam-credential-report']).toBeGreaterThanOrEqual(2);
    expect(calls['iam-users']).toBeGreaterThanOrEqual(1);
    expect(calls['iam-account-summary']).toBe(1);
  });

  it("assumes --role-arn first and reads the role's account", async () => {
    const run = await runCredhealth(
      [
        'audit',
        '--now',
        NOW,
        '--format',
        'json',
        '--cloudtrail',
        's3',
        '--role-arn',
        'arn:aws:iam::123456789012:role/credential-health-scan',
      ],
      { AWS_ENDPOINT_URL: endpoint, AWS_REGION: REGION },
    );

    expect(run.stderr).not.toMatch(STACK_TRACE);
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as Report).account.id).toBe('123456789012');
  });

  it('publishes what it found to an SNS topic with --publish', async () => {
    const topic = await motoClients().sns.send(
      new CreateTopicCommand({ Name: 'credhealth-cli-publish' }),
    );

    const run = await runCredhealth(
      [
        'audit',
        '--now',
        NOW,
        '--format',
        'json',
        '--cloudtrail',
        'lookup',
        '--publish',
        topic.TopicArn ?? '',
      ],
      { AWS_ENDPOINT_URL: endpoint, AWS_REGION: REGION },
    );

    // moto has no LookupEvents: the CloudTrail source is degraded, the audit still completes.
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/credhealth: (published|nothing to publish)/);
  });

  it('names the failed step of the credential chain and exits 3 when there are no credentials', async () => {
    const home = mkdtempSync(join(tmpdir(), 'credhealth-no-aws-'));

    const run = await runCredhealth(['audit', '--now', NOW], {
      AWS_ENDPOINT_URL: endpoint,
      AWS_ACCESS_KEY_ID: '',
      AWS_SECRET_ACCESS_KEY: '',
      AWS_PROFILE: 'ci-deployer',
      HOME: home,
      AWS_CONFIG_FILE: join(home, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
    });

    expect(run.code).toBe(3);
    expect(run.stderr).not.toMatch(STACK_TRACE);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain(
      'profile "ci-deployer" is not in ~/.aws/config or ~/.aws/credentials',
    );
    expect(run.stderr).not.toContain('NoCredentialsError');
  });
});
