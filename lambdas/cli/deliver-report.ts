import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { AuditConfig } from '../core/config.js';
import type { Report, Severity } from '../core/report.js';
import { severityRank } from '../core/report-builder.js';
import { type ReportFormat, renderReport } from '../render/index.js';
import type { CliIo } from './cli-io.js';
import { EXIT_CODES, UsageError } from './exit-codes.js';

export interface DeliveryOptions {
  readonly format: ReportFormat;
  /** Write here instead of stdout; `-` means stdout. */
  readonly output?: string;
  readonly failOn?: Severity;
  /** For the HTML key-age chart's limits. */
  readonly config: AuditConfig;
}

/**
 * Renders the report to stdout or `--output FILE`, warns on stderr about degraded sources, and
 * returns the exit code (`--fail-on`).
 *
 * @throws UsageError when the output file cannot be written.
 */
export async function deliverReport(
  report: Report,
  { output: requested, ...rest }: DeliveryOptions,
  io: CliIo,
): Promise<number> {
  const options = { ...rest, output: requested === '-' ? undefined : requested };
  const toTerminal = options.output === undefined && io.stdout.isTTY === true;
  const noColor = io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '';
  const text = renderReport(report, options.format, {
    color: options.format === 'text' && toTerminal && !noColor,
    ...(toTerminal && io.stdout.columns !== undefined && io.stdout.columns > 0
      ? { width: io.stdout.columns }
      : {}),
    maxKeyAgeDays: options.config.thresholds.maxKeyAgeDays,
    reminderLeadDays: options.config.thresholds.reminderLeadDays,
  });
  const content = text.endsWith('\n') ? text : `${text}\n`;

  if (options.output === undefined) {
    io.stdout.write(content);
  } else {
    try {
      await mkdir(dirname(options.output), { recursive: true });
      await writeFile(options.output, content, 'utf8');
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      throw new UsageError(
        `cannot write ${options.output}: ${typeof code === 'string' ? code : 'write failed'}`,
        {
          cause: error,
        },
      );
    }
    io.stderr.write(
      `credhealth: wrote the ${options.format} report to ${options.output} (${count(report.findings.length, 'finding')}, ${count(report.incidents.length, 'incident')})\n`,
    );
  }

  for (const source of report.sources) {
    if (source.status === 'degraded') {
      io.stderr.write(`credhealth: warning: source ${source.name} is degraded: ${source.detail}\n`);
    }
  }

  if (options.failOn !== undefined) {
    const limit = severityRank(options.failOn);
    const hits = [...report.findings, ...report.incidents].filter(
      (item) => severityRank(item.severity) <= limit,
    );
    if (hits.length > 0) {
      io.stderr.write(
        `credhealth: ${count(hits.length, 'finding or incident', 'findings or incidents')} at or above ${options.failOn} (--fail-on ${options.failOn})\n`,
      );
      return EXIT_CODES.failOn;
    }
  }
  return EXIT_CODES.ok;
}

function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}
