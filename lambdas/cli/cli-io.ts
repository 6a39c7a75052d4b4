import type { Report } from '../core/report.js';
import type { AuditSources } from '../core/sources.js';
import type { InvokeCliOptions } from './invoke.js';
import type { LiveCliOptions } from './live.js';
import type { PublishCliOptions, SlackCliOptions } from './publish.js';

/** stdout or stderr as the CLI uses them; a plain object in tests. */
export interface CliOutput {
  write(text: string): void;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/** The parts of the CLI that reach AWS or Slack, replaceable in tests. */
export interface CliServices {
  createLiveSources(options: LiveCliOptions): Promise<AuditSources>;
  publishReport(report: Report, options: PublishCliOptions): Promise<string>;
  postReportToSlack(report: Report, options: SlackCliOptions): Promise<string>;
  invokeAuditFunction(options: InvokeCliOptions): Promise<Report>;
}

/**
 * Everything the CLI takes from the process, passed in by `bin/credhealth.ts` (the composition
 * root), so the CLI runs in a test without touching the real process.
 */
export interface CliIo {
  readonly stdout: CliOutput;
  readonly stderr: CliOutput;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The wall clock: `generatedAt`, and `now` when `--now` is not given. */
  readonly clock: () => Date;
  /** @default the real services, loaded on first use */
  readonly services?: CliServices;
}

/**
 * The real services. Each module is imported when first needed, so an offline audit never
 * loads the AWS SDK (startup time) and a test that does not use them never reaches AWS.
 */
export const DEFAULT_SERVICES: CliServices = {
  createLiveSources: async (options) => (await import('./live.js')).createLiveSources(options),
  publishReport: async (report, options) =>
    (await import('./publish.js')).publishReport(report, options),
  postReportToSlack: async (report, options) =>
    (await import('./publish.js')).postReportToSlack(report, options),
  invokeAuditFunction: async (options) =>
    (await import('./invoke.js')).invokeAuditFunction(options),
};
