import { runAudit } from '../core/audit.js';
import { type AuditConfig, DURATION_PATTERN, parseDurationMs } from '../core/config.js';
import { ConfigError, InputFormatError } from '../core/errors.js';
import { parseInstant } from '../core/instant.js';
import type { Report } from '../core/report.js';
import type { AuditSources } from '../core/sources.js';
import { REPORT_FORMATS, type ReportFormat, renderReport } from '../render/index.js';
import { buildNotifications } from '../render/notifications/build-notifications.js';
import type { OutgoingMessage } from '../render/notifications/outgoing-message.js';
import type { Clock } from './ports.js';
import type { PublishResult } from './publish.js';

/** The audit function's payload: `aws lambda invoke --payload '{"lookback":"7d","format":"json"}'`. */
export interface AuditRequest {
  /** `30m`, `24h`, `7d`. @default the config's lookback (24h) */
  readonly lookback?: string;
  /** Also publish the report's notifications to the topic. @default false */
  readonly publish?: boolean;
  /** @default 'json' (the report object itself) */
  readonly format?: ReportFormat;
  /** Evaluate as of this instant (ISO-8601). @default now */
  readonly now?: string;
}

/** The answer for a format other than json: the rendered text and the counts. */
export interface RenderedAuditResponse {
  readonly format: Exclude<ReportFormat, 'json'>;
  readonly body: string;
  readonly summary: Report['summary'];
}

/** What the on-demand audit did: the answer, and how many messages it published (null: not asked). */
export interface OnDemandAuditResult {
  /** For `json`, the schema-1 report itself, so `aws lambda invoke` prints exactly the report. */
  readonly response: Report | RenderedAuditResponse;
  readonly published: number | null;
}

/** What the on-demand audit needs; tests pass fakes. */
export interface OnDemandAuditDeps {
  readonly sources: AuditSources;
  readonly publish: (messages: readonly OutgoingMessage[]) => Promise<PublishResult>;
  readonly clock: Clock;
}

/**
 * Checks an invocation payload (`{}` or nothing is fine).
 *
 * @throws ConfigError naming the field and the value.
 */
export function parseAuditRequest(payload: unknown): AuditRequest {
  if (payload === undefined || payload === null) return {};
  if (typeof payload !== 'object' || Array.isArray(payload)) {
    throw new ConfigError(`audit payload must be a JSON object, got ${JSON.stringify(payload)}`);
  }
  const { lookback, publish, format, now, ...rest } = payload as Record<string, unknown>;
  const problems: string[] = [];
  const unknown = Object.keys(rest);
  if (unknown.length > 0)
    problems.push(
      `unknown field ${unknown.map((k) => `"${k}"`).join(', ')} (known: lookback, publish, format, now)`,
    );
  if (lookback !== undefined) {
    if (typeof lookback !== 'string')
      problems.push(`lookback must be a duration such as 24h, got ${JSON.stringify(lookback)}`);
    else {
      try {
        if (parseDurationMs(lookback) <= 0)
          problems.push(`lookback must be longer than zero, got "${lookback}"`);
      } catch {
        // A well-formed but too long lookback deserves its own message, not the syntax one.
        problems.push(
          DURATION_PATTERN.test(lookback.trim())
            ? `lookback must be at most 3650d, got "${lookback}"`
            : `lookback must be a duration such as 30m, 24h or 7d, got "${lookback}"`,
        );
      }
    }
  }
  if (publish !== undefined && typeof publish !== 'boolean')
    problems.push(`publish must be true or false, got ${JSON.stringify(publish)}`);
  if (format !== undefined && !(REPORT_FORMATS as readonly unknown[]).includes(format)) {
    problems.push(
      `format must be one of ${REPORT_FORMATS.join(', ')}, got ${JSON.stringify(format)}`,
    );
  }
  if (now !== undefined) {
    if (typeof now !== 'string') {
      problems.push(`now must be an ISO-8601 instant, got ${JSON.stringify(now)}`);
    } else {
      // The same reading as the CLI's --now, so an invocation means the same instant as a run.
      try {
        parseInstant(now);
      } catch (error) {
        const why = error instanceof InputFormatError ? ` (${error.message})` : '';
        problems.push(`now must be an ISO-8601 instant, got ${JSON.stringify(now)}${why}`);
      }
    }
  }
  if (problems.length > 0) throw new ConfigError(`audit payload: ${problems.join('; ')}`);
  return {
    ...(lookback === undefined ? {} : { lookback: lookback as string }),
    ...(publish === undefined ? {} : { publish: publish as boolean }),
    ...(format === undefined ? {} : { format: format as ReportFormat }),
    ...(now === undefined ? {} : { now: now as string }),
  };
}

/**
 * The on-demand audit: the same report as `credhealth audit` live, in the format asked for, and
 * when asked, the same notifications the CLI's `--publish` sends (no ledger: on demand means
 * "tell me now", even if trail-watch already did).
 */
export async function runOnDemandAudit(
  deps: OnDemandAuditDeps,
  config: AuditConfig,
  request: AuditRequest,
): Promise<OnDemandAuditResult> {
  const generatedAt = deps.clock.now();
  const now = request.now === undefined ? generatedAt : parseInstant(request.now);
  const report = await runAudit(deps.sources, {
    config,
    now,
    generatedAt,
    ...(request.lookback === undefined ? {} : { lookbackMs: parseDurationMs(request.lookback) }),
    // Keys are listed for the users with key findings and the keys the incidents need: the same
    // report as listing every user's keys, for a fraction of the IAM calls.
    keyIds: 'findings',
  });
  let published: number | null = null;
  if (request.publish === true) {
    const messages = buildNotifications(report);
    const result =
      messages.length === 0 ? { published: 0, failed: [] } : await deps.publish(messages);
    if (result.failed.length > 0) {
      throw new Error(
        `published ${result.published} of ${messages.length} messages; SNS refused ${result.failed.length}`,
      );
    }
    published = result.published;
  }
  const format = request.format ?? 'json';
  if (format === 'json') return { response: report, published };
  const body = renderReport(report, format, {
    maxKeyAgeDays: config.thresholds.maxKeyAgeDays,
    reminderLeadDays: config.thresholds.reminderLeadDays,
  });
  return { response: { format, body, summary: report.summary }, published };
}
