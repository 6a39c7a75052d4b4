import { Command, InvalidArgumentError, Option } from 'commander';
import packageJson from '../../package.json' with { type: 'json' };
import { SEVERITIES, type Severity } from '../core/report.js';
import { REPORT_FORMATS, type ReportFormat } from '../render/index.js';
import type { CliOutput } from './cli-io.js';
import { oneLine } from './exit-codes.js';
import {
  CLOUDTRAIL_MODES,
  parseFunctionName,
  parseLogGroups,
  parseLookback,
  parseNow,
  parseProfile,
  parseRegion,
  parseRoleArn,
  parseTopicArn,
} from './parse-options.js';

/** Options shared by `audit` and `invoke`: how the report is evaluated and delivered. */
export interface ReportCliOptions {
  readonly now?: Date;
  readonly format: ReportFormat;
  readonly output?: string;
  readonly lookback?: number;
  readonly failOn?: Severity;
  readonly profile?: string;
  readonly region?: string;
  readonly roleArn?: string;
}

/** `credhealth audit` options, as commander parsed them. */
export interface AuditCliOptions extends ReportCliOptions {
  readonly fromDir?: string;
  readonly config?: string;
  readonly cloudtrail?: (typeof CLOUDTRAIL_MODES)[number];
  readonly logGroups?: string[];
  readonly publish?: string;
  readonly slackWebhook?: string;
}

/** `credhealth invoke` options. */
export interface InvokeCliArgs extends ReportCliOptions {
  readonly function: string;
}

export interface ProgramHandlers {
  audit(options: AuditCliOptions): Promise<void>;
  invoke(options: InvokeCliArgs): Promise<void>;
}

const EXIT_CODE_HELP = `
Exit codes:
  0   done (findings or not), unless --fail-on is met
  1   --fail-on met: a finding or incident at or above that severity
  2   bad usage or bad input (an option, the config file, an input file's format)
  3   a required source (the IAM credential report) could not be read
  70  an unexpected error (a bug in credhealth)`;

const AUDIT_HELP = `
Files read from --from-dir DIR (only the credential report is required):
  credential-report.csv    the decoded report: aws iam get-credential-report --query Content --output text | base64 -d
  credential-report.json   or the raw aws iam get-credential-report output (preferred: it carries GeneratedTime)
  access-keys.json         aws iam list-access-keys output, the users' lists merged or concatenated
  account-summary.json     aws iam get-account-summary
  users.json               aws iam get-account-authorization-details --filter User (tags: owners, exemptions)
  account.json             {"id":"123456789012","alias":"prod"}; or caller-identity.json (aws sts
                           get-caller-identity) and account-aliases.json (aws iam list-account-aliases)
  cloudtrail/**            *.json / *.json.gz: CloudTrail log files from S3, or aws cloudtrail lookup-events output
  logs/**                  *.json / *.json.gz: aws logs get-query-results or filter-log-events output; a
                           filter-log-events file names its log group by a logGroupName field or by its path
                           (logs/aws/lambda/billing.json = /aws/lambda/billing)

Examples:
  credhealth audit --from-dir exports/prod --now 2026-11-20T12:00:00Z
  credhealth audit --from-dir exports/prod --format html --output report.html --fail-on high
  credhealth audit --profile prod --lookback 7d --log-groups /ecs/billing,/aws/lambda/etl
${EXIT_CODE_HELP}`;

/**
 * The commander program: parses and validates argv, then calls a handler. It never exits the
 * process: errors are thrown (`exitOverride`) and mapped to exit codes by `runCli`.
 */
export function createProgram(
  handlers: ProgramHandlers,
  stdout: CliOutput,
  stderr: CliOutput,
): Command {
  const program = new Command('credhealth')
    .description(
      'Credential health checks for AWS: old, unused and root credentials, and the credential failures behind broken workloads.',
    )
    .version(packageJson.version, '-V, --version')
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (text) => stdout.write(text),
      writeErr: (text) => stderr.write(text),
      // Commander's messages already start with `error:`; suggestions come on a second line.
      outputError: (text, write) => write(`credhealth: ${oneLine(text)}\n`),
    })
    .addHelpText('after', EXIT_CODE_HELP);

  const audit = program
    .command('audit')
    .description('Audit an account: from files exported with the AWS CLI (--from-dir), or live.')
    .addOption(
      new Option('--from-dir <dir>', 'audit the files exported in DIR (offline)').argParser(
        nonEmpty,
      ),
    )
    .addOption(
      new Option('--config <file>', 'JSON config file: thresholds, exemptions, owners').argParser(
        nonEmpty,
      ),
    );
  addReportOptions(audit);
  audit
    .addOption(
      new Option(
        '--cloudtrail <mode>',
        'live: where CloudTrail events come from (default: auto)',
      ).choices(CLOUDTRAIL_MODES),
    )
    .addOption(
      new Option(
        '--log-groups <names>',
        'live: workload log groups to search, commas between',
      ).argParser(parseLogGroups),
    )
    .addOption(
      new Option('--publish <topic-arn>', 'send the findings through this SNS topic').argParser(
        parseTopicArn,
      ),
    )
    .addOption(
      new Option(
        '--slack-webhook <url>',
        'post the report to this Slack incoming webhook (or set CREDHEALTH_SLACK_WEBHOOK)',
      ),
    )
    .addHelpText('after', AUDIT_HELP)
    .action(async (_args: unknown, command: Command) =>
      handlers.audit(command.opts<AuditCliOptions>()),
    );

  const invoke = program
    .command('invoke')
    .description('Run the deployed audit function and print its report.')
    .addOption(
      new Option('--function <name>', 'the audit Lambda function name or ARN')
        .argParser(parseFunctionName)
        .makeOptionMandatory(),
    );
  addReportOptions(invoke);
  invoke
    .addHelpText('after', EXIT_CODE_HELP)
    .action(async (_args: unknown, command: Command) =>
      handlers.invoke(command.opts<InvokeCliArgs>()),
    );

  return program;
}

function addReportOptions(command: Command): void {
  command
    .addOption(
      new Option(
        '--now <iso>',
        'evaluate as of this instant, e.g. 2026-11-20T12:00:00Z (default: the current time)',
      ).argParser(parseNow),
    )
    .addOption(
      new Option('--format <format>', 'report format').choices(REPORT_FORMATS).default('text'),
    )
    .addOption(
      new Option('--output <file>', 'write the report to FILE instead of stdout').argParser(
        nonEmpty,
      ),
    )
    .addOption(
      new Option(
        '--lookback <duration>',
        'how far back to look for incidents, e.g. 24h or 7d (default: 24h)',
      ).argParser(parseLookback),
    )
    .addOption(
      new Option(
        '--fail-on <severity>',
        'exit 1 when a finding or incident is at or above SEVERITY',
      ).choices(SEVERITIES),
    )
    .addOption(new Option('--profile <name>', 'AWS named profile').argParser(parseProfile))
    .addOption(new Option('--region <region>', 'AWS Region').argParser(parseRegion))
    .addOption(new Option('--role-arn <arn>', 'IAM role to assume first').argParser(parseRoleArn));
}

function nonEmpty(text: string): string {
  if (text.trim() === '') throw new InvalidArgumentError('Expected a path.');
  return text;
}
