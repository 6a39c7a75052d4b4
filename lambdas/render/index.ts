import type { Report } from '../core/report.js';
import { renderCsv } from './csv.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';
import { renderText } from './text.js';

/** The formats `credhealth audit --format` accepts. */
export type ReportFormat = 'text' | 'json' | 'markdown' | 'csv' | 'html';

/** Every report format, in the order the CLI lists them. */
export const REPORT_FORMATS: readonly ReportFormat[] = ['text', 'json', 'markdown', 'csv', 'html'];

/** How a report is drawn; formats ignore the options that do not concern them. */
export interface RenderOptions {
  /** ANSI colours in `text`; the CLI passes true only for a TTY without NO_COLOR. @default false */
  readonly color?: boolean;
  /** Column `text` wraps at. @default 100 */
  readonly width?: number;
  /** Rotation limit drawn on the HTML key-age chart. @default 90 */
  readonly maxKeyAgeDays?: number;
  /** Days before the limit when rotation is due, drawn on the HTML key-age chart. @default 14 */
  readonly reminderLeadDays?: number;
}

/**
 * Renders a report in one of the formats. Pure: everything shown comes from the report
 * (including `now`), so the same report always gives the same output.
 *
 * @example process.stdout.write(renderReport(report, 'text', { color: true, width: 100 }))
 */
export function renderReport(
  report: Report,
  format: ReportFormat,
  options: RenderOptions = {},
): string {
  switch (format) {
    case 'text':
      return renderText(report, options);
    case 'json':
      return renderJson(report);
    case 'markdown':
      return renderMarkdown(report);
    case 'csv':
      return renderCsv(report);
    case 'html':
      return renderHtml(report, options);
    default:
      // Reached only when a caller skips the type check (plain JavaScript, a cast).
      throw new TypeError(
        `unknown report format "${String(format)}"; expected one of ${REPORT_FORMATS.join(', ')}`,
      );
  }
}

/**
 * Narrows a string to a report format, for the CLI's `--format` option.
 *
 * @example isReportFormat('md') // false
 */
export function isReportFormat(value: string): value is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(value);
}

export { renderCsv, renderHtml, renderJson, renderMarkdown, renderText };
