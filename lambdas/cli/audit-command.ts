import { runAudit } from '../core/audit.js';
import type { AuditSources } from '../core/sources.js';
import { createExportDirSources } from '../sources/files/export-dir-sources.js';
import { type CliIo, type CliServices, DEFAULT_SERVICES } from './cli-io.js';
import { loadConfigFile } from './config-file.js';
import { deliverReport } from './deliver-report.js';
import { UsageError } from './exit-codes.js';
import type { AuditCliOptions, InvokeCliArgs } from './program.js';
import type { ProgressBar } from './progress.js';

/** Environment variable read when `--slack-webhook` is not given. */
export const SLACK_WEBHOOK_ENV = 'CREDHEALTH_SLACK_WEBHOOK';

/**
 * `credhealth audit`: build the sources (files or live), run the audit use case the Lambdas
 * run, deliver the report, then publish it when asked. Returns the exit code.
 */
export async function runAuditCommand(
  options: AuditCliOptions,
  io: CliIo,
  progress: ProgressBar,
): Promise<number> {
  const services: CliServices = io.services ?? DEFAULT_SERVICES;
  const slackWebhook = slackWebhookFrom(options.slackWebhook ?? io.env[SLACK_WEBHOOK_ENV]);
  const config = await loadConfigFile(options.config);
  const generatedAt = io.clock();
  const now = options.now ?? generatedAt;

  let sources: AuditSources;
  if (options.fromDir !== undefined) {
    if (options.cloudtrail !== undefined || options.logGroups !== undefined) {
      const flag = options.cloudtrail !== undefined ? '--cloudtrail' : '--log-groups';
      throw new UsageError(
        `${flag} applies to a live audit; with --from-dir the files under DIR/cloudtrail/ and DIR/logs/ are read`,
      );
    }
    sources = createExportDirSources(options.fromDir, { onFile: progress.onFile });
  } else {
    sources = await services.createLiveSources({
      ...awsOptions(options),
      cloudTrail: options.cloudtrail ?? 'auto',
      logGroups: options.logGroups ?? [],
      env: io.env,
      onFile: progress.onFile,
    });
  }

  const report = await runAudit(sources, {
    config,
    now,
    generatedAt,
    // Live: keys are listed for the users the findings name and the keys incidents need, not
    // for every user with a key (the only way AWS gives key ids is one call per user).
    // Exported files carry every id already and ignore this.
    keyIds: 'findings',
    ...(options.lookback === undefined ? {} : { lookbackMs: options.lookback }),
  });
  progress.clear();

  const exitCode = await deliverReport(
    report,
    {
      format: options.format,
      config,
      ...(options.output === undefined ? {} : { output: options.output }),
      ...(options.failOn === undefined ? {} : { failOn: options.failOn }),
    },
    io,
  );

  if (options.publish !== undefined) {
    const note = await services.publishReport(report, {
      ...awsOptions(options),
      topicArn: options.publish,
      env: io.env,
    });
    io.stderr.write(`credhealth: ${note}\n`);
  }
  if (slackWebhook !== undefined) {
    const note = await services.postReportToSlack(report, {
      webhookUrl: slackWebhook,
      env: io.env,
    });
    io.stderr.write(`credhealth: ${note}\n`);
  }
  return exitCode;
}

/**
 * `credhealth invoke`: run the deployed audit function, then deliver its report like `audit`.
 */
export async function runInvokeCommand(options: InvokeCliArgs, io: CliIo): Promise<number> {
  const services: CliServices = io.services ?? DEFAULT_SERVICES;
  const report = await services.invokeAuditFunction({
    ...awsOptions(options),
    functionName: options.function,
    ...(options.now === undefined ? {} : { now: options.now }),
    ...(options.lookback === undefined ? {} : { lookbackMs: options.lookback }),
    env: io.env,
  });
  return deliverReport(
    report,
    {
      format: options.format,
      config: await loadConfigFile(undefined),
      ...(options.output === undefined ? {} : { output: options.output }),
      ...(options.failOn === undefined ? {} : { failOn: options.failOn }),
    },
    io,
  );
}

function awsOptions(options: AuditCliOptions | InvokeCliArgs): {
  profile?: string;
  region?: string;
  roleArn?: string;
} {
  return {
    ...(options.profile === undefined ? {} : { profile: options.profile }),
    ...(options.region === undefined ? {} : { region: options.region }),
    ...(options.roleArn === undefined ? {} : { roleArn: options.roleArn }),
  };
}

/** Validates the webhook without ever echoing it: the URL is a secret. */
function slackWebhookFrom(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  let url: URL | null = null;
  try {
    url = new URL(value);
  } catch {
    url = null;
  }
  if (url === null || url.protocol !== 'https:') {
    throw new UsageError(`--slack-webhook (or ${SLACK_WEBHOOK_ENV}) is not an https:// URL`);
  }
  return value;
}
