import type { Report } from '../core/report.js';

/**
 * The report as the schema-1 JSON contract: every field, full key ids (the JSON is for machines
 * and for the account's own people), two-space indent, trailing newline.
 *
 * @example JSON.parse(renderJson(report)).schemaVersion // 1
 */
export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
