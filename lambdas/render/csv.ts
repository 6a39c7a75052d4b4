import { maskAccessKeyId } from '../core/mask.js';
import type { Finding, Report } from '../core/report.js';
import { displayText, maskKeyIds } from './format.js';

/** The columns of the CSV export, in order: one row per finding. */
export const CSV_COLUMNS = [
  'id',
  'severity',
  'check',
  'title',
  'principal_type',
  'principal',
  'principal_arn',
  'key_slot',
  'key_id_masked',
  'key_status',
  'key_created_at',
  'key_last_used_at',
  'key_age_days',
  'owner',
  'controls',
  'remediation',
  'detail',
] as const;

type Cell = string | number | null;

// Leading spaces do not stop every spreadsheet from reading a formula, so they are skipped.
const FORMULA_START = /^(?:\s*[=+\-@]|[\t\r])/;

/**
 * The findings as CSV (RFC 4180: comma separated, CRLF line ends, fields quoted when they hold
 * a comma, a quote or a line break), one row per finding in the report's order. Key ids are
 * masked; text cells that a spreadsheet would read as a formula get a leading apostrophe.
 * Incidents are not included: they do not share the findings' columns (use json for them).
 *
 * @example writeFileSync('findings.csv', renderCsv(report));
 */
export function renderCsv(report: Report): string {
  const rows: string[] = [CSV_COLUMNS.join(',')];
  for (const finding of report.findings) rows.push(findingCells(finding).map(csvField).join(','));
  return `${rows.join('\r\n')}\r\n`;
}

function findingCells(finding: Finding): Cell[] {
  const key = finding.accessKey;
  return [
    finding.id,
    finding.severity,
    finding.check,
    text(finding.title),
    finding.principal.type,
    text(finding.principal.name),
    finding.principal.arn === null ? null : text(finding.principal.arn),
    key?.slot ?? null,
    key === null ? null : key.id === null ? null : maskAccessKeyId(displayText(key.id)),
    key?.status ?? null,
    key?.createdAt ?? null,
    key?.lastUsedAt ?? null,
    key?.ageDays ?? null,
    finding.owner === null ? null : text(finding.owner),
    finding.controls.map(text).join('; '),
    // One step per line inside the cell: spreadsheets show them as a list.
    finding.remediation.map(text).join('\n'),
    text(finding.detail),
  ];
}

/** Free text for a cell: key ids masked; line breaks inside a step kept as spaces. */
function text(value: string): string {
  return maskKeyIds(value).replace(/\r\n?|\n/g, ' ');
}

/**
 * One CSV field. A text cell starting with `=`, `+`, `-`, `@` (after any spaces), a tab or a
 * carriage return gets a leading `'`, so Excel, LibreOffice and Sheets show it instead of
 * evaluating it (OWASP "CSV injection"); numbers are written as numbers.
 *
 * @example csvField('=HYPERLINK("x")') // `"'=HYPERLINK(""x"")"`
 */
export function csvField(value: Cell): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const neutral = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(neutral) ? `"${neutral.replace(/"/g, '""')}"` : neutral;
}
