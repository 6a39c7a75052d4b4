import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CliServices } from '../../lambdas/cli/cli-io.js';
import type { LiveCliOptions } from '../../lambdas/cli/live.js';
import type { PublishCliOptions, SlackCliOptions } from '../../lambdas/cli/publish.js';
import { runCli } from '../../lambdas/cli/run-cli.js';
import type { Report } from '../../lambdas/core/report.js';
import { createExportDirSources } from '../../lambdas/sources/files/export-dir-sources.js';
import {
  CREDENTIAL_REPORT_CSV,
  createTempExportDir,
  type TempExportDir,
} from '../sources/files/temp-export-dir.js';
import { capture, fakeIo, OFFLINE_SERVICES } from './fake-io.js';

const NOW = '2026-11-20T12:00:00Z';
let dir: TempExportDir;

beforeEach(async () => {
  dir = await createTempExportDir();
  await dir.write('credential-report.csv', CREDENTIAL_REPORT_CSV);
});
afterEach(async () => {
  await dir.remove();
});

describe('progress bar', () => {
  beforeEach(async () => {
    for (let n = 0; n < 6; n += 1)
      await dir.write(`cloudtrail/${n}.json.gz`, { Records: [{ eventName: 'ListUsers' }] });
  });

  it('is drawn on a terminal while many files are read, and erased before anything else', async () => {
    // Prepare
    const { io, stdout } = fakeIo();
    const stderr = capture(true, 80);
    // Act
    const code = await runCli(['audit', '--from-dir', dir.path, '--now', NOW, '--format', 'json'], {
      ...io,
      stderr,
    });
    // Assess
    expect(code).toBe(0);
    expect(stderr.text).toContain('[####################] 6/6 cloudtrail/5.json.gz');
    expect(stderr.text.endsWith('\r\u001b[2K')).toBe(true);
    expect(stdout.text).not.toContain('\r');
  });

  it('is not drawn when stderr is not a terminal', async () => {
    // Prepare
    const { io, stderr } = fakeIo();
    // Act
    const code = await runCli(['audit', '--from-dir', dir.path, '--now', NOW], io);
    // Assess
    expect(code).toBe(0);
    expect(stderr.text).toBe('');
  });
});

describe('the services behind live mode, --publish and --slack-webhook', () => {
  function recordingServices() {
    const calls: {
      live?: LiveCliOptions;
      publish?: PublishCliOptions;
      slack?: SlackCliOptions;
      report?: Report;
    } = {};
    const services: CliServices = {
      ...OFFLINE_SERVICES,
      createLiveSources: async (options) => {
        calls.live = options;
        return createExportDirSources(dir.path);
      },
      publishReport: async (report, options) => {
        calls.publish = options;
        calls.report = report;
        return 'published 1 message';
      },
      postReportToSlack: async (_report, options) => {
        calls.slack = options;
        return 'posted to Slack';
      },
    };
    return { calls, services };
  }

  it('builds live sources from the AWS options', async () => {
    // Prepare
    const { calls, services } = recordingServices();
    const { io } = fakeIo({ services });
    // Act
    const code = await runCli(
      [
        'audit',
        '--profile',
        'prod',
        '--region',
        'eu-west-1',
        '--cloudtrail',
        'lookup',
        '--log-groups',
        '/a,/b',
        '--now',
        NOW,
      ],
      io,
    );
    // Assess
    expect(code).toBe(0);
    expect(calls.live).toMatchObject({
      profile: 'prod',
      region: 'eu-west-1',
      cloudTrail: 'lookup',
      logGroups: ['/a', '/b'],
    });
  });

  it('defaults live mode to --cloudtrail auto and no extra log groups', async () => {
    // Prepare
    const { calls, services } = recordingServices();
    const { io } = fakeIo({ services });
    // Act
    await runCli(['audit', '--now', NOW], io);
    // Assess
    expect(calls.live).toMatchObject({ cloudTrail: 'auto', logGroups: [] });
    expect(calls.live?.profile).toBeUndefined();
  });

  it('publishes the report and posts to the webhook from CREDHEALTH_SLACK_WEBHOOK, with a note each', async () => {
    // Prepare
    const { calls, services } = recordingServices();
    const webhook = 'https://hooks.slack.example/services/T000/B000/EXAMPLEKEY';
    const { io, stderr } = fakeIo({ services, env: { CREDHEALTH_SLACK_WEBHOOK: webhook } });
    const topic = 'arn:aws:sns:eu-west-1:123456789012:credhealth';
    // Act
    const code = await runCli(
      ['audit', '--from-dir', dir.path, '--now', NOW, '--publish', topic, '--region', 'eu-west-1'],
      io,
    );
    // Assess
    expect(code).toBe(0);
    expect(calls.publish).toMatchObject({ topicArn: topic, region: 'eu-west-1' });
    expect(calls.report?.schemaVersion).toBe(1);
    expect(calls.slack?.webhookUrl).toBe(webhook);
    expect(stderr.text).toBe('credhealth: published 1 message\ncredhealth: posted to Slack\n');
  });

  it('prefers --slack-webhook over the environment', async () => {
    // Prepare
    const { calls, services } = recordingServices();
    const { io } = fakeIo({
      services,
      env: { CREDHEALTH_SLACK_WEBHOOK: 'https://env.example/EXAMPLEKEY' },
    });
    // Act
    await runCli(
      [
        'audit',
        '--from-dir',
        dir.path,
        '--now',
        NOW,
        '--slack-webhook',
        'https://flag.example/EXAMPLEKEY',
      ],
      io,
    );
    // Assess
    expect(calls.slack?.webhookUrl).toBe('https://flag.example/EXAMPLEKEY');
  });

  it('keeps --fail-on exit 1 when publishing succeeds', async () => {
    // Prepare
    const { services } = recordingServices();
    await dir.write(
      'credential-report.csv',
      CREDENTIAL_REPORT_CSV.replace(
        ',true,false,N/A,N/A,N/A,N/A,',
        ',false,false,N/A,N/A,N/A,N/A,',
      ),
    );
    const { io } = fakeIo({ services });
    // Act
    const code = await runCli(
      [
        'audit',
        '--from-dir',
        dir.path,
        '--now',
        NOW,
        '--fail-on',
        'critical',
        '--publish',
        'arn:aws:sns:eu-west-1:123456789012:t',
      ],
      io,
    );
    // Assess
    expect(code).toBe(1);
  });

  it('reports an unexpected error as an internal error, exit 70, one line without the stack', async () => {
    // Prepare
    const services: CliServices = {
      ...OFFLINE_SERVICES,
      createLiveSources: () => Promise.reject(new TypeError('boom')),
    };
    const { io, stderr } = fakeIo({ services });
    // Act
    const code = await runCli(['audit', '--now', NOW], io);
    // Assess
    expect(code).toBe(70);
    expect(stderr.text).toBe(
      'credhealth: internal error: TypeError: boom (a bug in credhealth; rerun with CREDHEALTH_DEBUG=1 for details)\n',
    );
  });

  it('adds the stack of an unexpected error with CREDHEALTH_DEBUG=1', async () => {
    // Prepare
    const services: CliServices = {
      ...OFFLINE_SERVICES,
      createLiveSources: () => Promise.reject(new TypeError('boom')),
    };
    const { io, stderr } = fakeIo({ services, env: { CREDHEALTH_DEBUG: '1' } });
    // Act
    await runCli(['audit', '--now', NOW], io);
    // Assess
    expect(stderr.text).toMatch(/\n\s+at /);
  });
});
