import type { Finding, Incident, Report, Severity, SourceState } from '../core/report.js';
import { SEVERITIES } from '../core/report.js';
import {
  describeAccount,
  describeCount,
  describeCredentialReport,
  describeErrorCodes,
  describeKey,
  describePrincipal,
  describeWindow,
  displayText,
  formatDateTime,
  groupBySeverity,
  incidentEvidence,
  plural,
  SOURCE_STATE_LABELS,
  topPriorities,
  wrapText,
} from './format.js';

/** Options of the terminal renderer. */
export interface TextOptions {
  /** ANSI colours; the CLI turns them on only for a TTY without NO_COLOR. @default false */
  readonly color?: boolean;
  /** Column to wrap at. @default 100 */
  readonly width?: number;
}

const DEFAULT_WIDTH = 100;
// Below this the hanging indents leave no room for the text itself.
const MIN_WIDTH = 40;
const LABEL_WIDTH = 14;
const ITEM_INDENT = '  ';
const FIELD_INDENT = '    ';

type Style = 'bold' | 'dim' | Severity | SourceState;

const ANSI: Readonly<Record<Style, string>> = {
  bold: '\u001b[1m',
  dim: '\u001b[2m',
  critical: '\u001b[1;97;41m',
  high: '\u001b[1;31m',
  medium: '\u001b[33m',
  low: '\u001b[36m',
  info: '\u001b[2m',
  ok: '\u001b[32m',
  degraded: '\u001b[1;33m',
  missing: '\u001b[1;31m',
};
const RESET = '\u001b[0m';

/**
 * The report as a person reads it in a terminal: header, sources, summary, findings grouped
 * by severity with their fixes, incidents, and what to do first. Key ids are masked.
 *
 * @example process.stdout.write(renderText(report, { color: process.stdout.isTTY }))
 */
export function renderText(report: Report, options: TextOptions = {}): string {
  const out = new TextWriter(options);
  writeHeader(out, report);
  writeSources(out, report);
  writeSummary(out, report);
  writeFindings(out, report.findings);
  writeIncidents(out, report.incidents);
  writeFirstSteps(out, report);
  return `${out.lines.join('\n')}\n`;
}

/** Collects lines, wrapping them to the width and colouring only what was asked for. */
class TextWriter {
  public readonly lines: string[] = [];
  public readonly width: number;
  private readonly color: boolean;

  public constructor(options: TextOptions) {
    this.color = options.color === true;
    this.width = Math.max(MIN_WIDTH, Math.floor(options.width ?? DEFAULT_WIDTH));
  }

  public style(text: string, style: Style): string {
    // A value outside the contract (a report read back from JSON) is shown uncoloured.
    const code = (ANSI as Readonly<Record<string, string>>)[style];
    return this.color && code !== undefined ? `${code}${text}${RESET}` : text;
  }

  public blank(): void {
    if (this.lines.length > 0 && this.lines[this.lines.length - 1] !== '') this.lines.push('');
  }

  public heading(text: string): void {
    this.blank();
    this.lines.push(this.style(text, 'bold'));
  }

  /**
   * A paragraph: the first line starts with `lead` (already styled; `leadWidth` is its
   * visible width), the following lines hang at `hang` columns.
   */
  public paragraph(lead: string, leadWidth: number, text: string, hang: number): void {
    const chunks = wrapText(text, Math.max(10, this.width - Math.max(leadWidth, hang)));
    chunks.forEach((chunk, index) => {
      const prefix =
        index === 0 ? lead + ' '.repeat(Math.max(0, hang - leadWidth)) : ' '.repeat(hang);
      this.lines.push(`${prefix}${chunk}`.trimEnd());
    });
  }

  /** `    Label:        value`, wrapped under the value. */
  public field(label: string, value: string): void {
    const lead = `${FIELD_INDENT}${label}:`.padEnd(FIELD_INDENT.length + LABEL_WIDTH);
    const styled = this.color ? `${FIELD_INDENT}${this.style(`${label}:`, 'dim')}` : lead;
    this.paragraph(
      styled,
      this.color ? FIELD_INDENT.length + label.length + 1 : lead.length,
      value,
      lead.length,
    );
  }

  /** A field whose value is a list: one item per line, numbered or bulleted. */
  public listField(label: string, items: readonly string[], numbered: boolean): void {
    items.forEach((item, index) => {
      const marker = numbered ? `${index + 1}. ` : '- ';
      const lead = index === 0 ? `${FIELD_INDENT}${label}:` : '';
      const base = FIELD_INDENT.length + LABEL_WIDTH;
      const styledLead =
        index === 0 && this.color ? `${FIELD_INDENT}${this.style(`${label}:`, 'dim')}` : lead;
      const leadText = `${styledLead}${' '.repeat(Math.max(0, base - lead.length))}${marker}`;
      this.paragraph(leadText, base + marker.length, item, base + marker.length);
    });
  }
}

function writeHeader(out: TextWriter, report: Report): void {
  const title = `Credential health: account ${describeAccount(report)}`;
  for (const line of wrapText(title, out.width)) out.lines.push(out.style(line, 'bold'));
  out.field('Evaluated at', formatDateTime(report.now));
  out.field('IAM report', describeCredentialReport(report));
  const age = report.credentialReport.ageHours;
  if (age !== null && age > 4) {
    out.field(
      'Note',
      `the credential report is ${plural(age, 'hour')} old, so key changes made since are not in it; run aws iam generate-credential-report for a fresh one.`,
    );
  }
  out.field('Window', describeWindow(report));
}

function writeSources(out: TextWriter, report: Report): void {
  out.heading('Sources');
  if (report.sources.length === 0) {
    out.paragraph(
      FIELD_INDENT,
      FIELD_INDENT.length,
      'No sources were reported.',
      FIELD_INDENT.length,
    );
    return;
  }
  const nameWidth = Math.min(
    28,
    Math.max(...report.sources.map((s) => displayText(s.name).length)),
  );
  for (const source of report.sources) {
    const state = SOURCE_STATE_LABELS[source.status] ?? displayText(String(source.status));
    const label = state.padEnd(9);
    const name = displayText(source.name).padEnd(nameWidth);
    const lead = `${FIELD_INDENT}${out.style(label, source.status)} ${name}  `;
    const leadWidth = FIELD_INDENT.length + label.length + 1 + name.length + 2;
    out.paragraph(lead, leadWidth, displayText(source.detail), leadWidth);
  }
  const incomplete = report.sources.filter((s) => s.status !== 'ok');
  if (incomplete.length > 0) {
    const states = incomplete.map((s) => `${displayText(s.name)} is ${s.status}`).join(', ');
    const warning = `Results may be incomplete: ${states}. What those sources would have shown is not in this report.`;
    out.blank();
    out.paragraph(
      `${FIELD_INDENT}${out.style('!', 'degraded')} `,
      FIELD_INDENT.length + 2,
      warning,
      FIELD_INDENT.length + 2,
    );
  }
}

function writeSummary(out: TextWriter, report: Report): void {
  out.blank();
  const counts = SEVERITIES.map((s) => `${report.summary[s]} ${s}`).join(', ');
  const totals = `(${plural(report.findings.length, 'finding')}, ${plural(report.incidents.length, 'incident')})`;
  const start = out.lines.length;
  out.paragraph(out.style('Summary:', 'bold') + ' ', 9, `${counts} ${totals}`, 9);
  // Colour after wrapping, so escape codes never count towards the width.
  for (let index = start; index < out.lines.length; index += 1) {
    out.lines[index] = (out.lines[index] ?? '').replace(
      /\b(\d+) (critical|high|medium|low|info)\b/g,
      (match, count: string, severity: Severity) =>
        out.style(match, count === '0' ? 'dim' : severity),
    );
  }
}

function severityTag(out: TextWriter, severity: Severity): { text: string; width: number } {
  const plain = `[${severity.toUpperCase()}]`;
  return { text: out.style(plain, severity), width: plain.length };
}

/** `  [HIGH] title`, after a blank line, wrapped under the title. */
function writeItemTitle(out: TextWriter, severity: Severity, title: string): void {
  out.blank();
  const tag = severityTag(out, severity);
  const indent = ITEM_INDENT.length + tag.width + 1;
  out.paragraph(`${ITEM_INDENT}${tag.text} `, indent, displayText(title), indent);
}

function writeFindings(out: TextWriter, findings: readonly Finding[]): void {
  out.heading(`FINDINGS (${findings.length})`);
  if (findings.length === 0) {
    out.paragraph(
      ITEM_INDENT,
      ITEM_INDENT.length,
      'No findings: every credential checked is within its limits.',
      ITEM_INDENT.length,
    );
    return;
  }
  for (const group of groupBySeverity(findings)) {
    out.blank();
    out.lines.push(
      out.style(
        `${group.severity.toUpperCase()}: ${plural(group.items.length, 'finding')}`,
        group.severity,
      ),
    );
    for (const finding of group.items) writeFinding(out, finding);
  }
}

function writeFinding(out: TextWriter, finding: Finding): void {
  writeItemTitle(out, finding.severity, finding.title);
  const controls =
    finding.controls.length > 0 ? ` (${finding.controls.map(displayText).join(', ')})` : '';
  out.field('Check', `${finding.check}${controls}`);
  const owner = finding.owner === null ? 'no owner known' : `owner ${displayText(finding.owner)}`;
  out.field('Who', `${describePrincipal(finding)}, ${owner}`);
  if (finding.accessKey !== null) out.field('Key', describeKey(finding.accessKey));
  if (finding.detail.length > 0) out.field('Why', displayText(finding.detail));
  if (finding.remediation.length > 0)
    out.listField('Fix', finding.remediation.map(displayText), true);
}

function writeIncidents(out: TextWriter, incidents: readonly Incident[]): void {
  out.heading(`INCIDENTS (${incidents.length})`);
  if (incidents.length === 0) {
    out.paragraph(
      ITEM_INDENT,
      ITEM_INDENT.length,
      'No credential failures in the window.',
      ITEM_INDENT.length,
    );
    return;
  }
  for (const incident of incidents) writeIncident(out, incident);
}

function writeIncident(out: TextWriter, incident: Incident): void {
  writeItemTitle(out, incident.severity, incident.title);
  out.field(
    'Kind',
    `${incident.kind}, evidence from ${incident.evidence.join(' and ') || 'unknown'}`,
  );
  const seen =
    incident.firstSeen === incident.lastSeen
      ? `at ${formatDateTime(incident.firstSeen)}`
      : `${formatDateTime(incident.firstSeen)} to ${formatDateTime(incident.lastSeen)}`;
  out.field('Seen', `${describeCount(incident.count)}, ${seen}`);
  const codes = describeErrorCodes(incident.errorCodes);
  if (codes.length > 0) out.field('Errors', displayText(codes));
  for (const { label, values } of incidentEvidence(incident)) {
    // A user agent is long and has no spaces to wrap at: one per line.
    if (label === 'User agents') out.listField(label, values.map(displayText), false);
    else out.field(label, values.map(displayText).join(', '));
  }
  if (incident.probableCauses.length > 0)
    out.listField('Likely cause', incident.probableCauses.map(displayText), false);
  if (incident.remediation.length > 0)
    out.listField('Fix', incident.remediation.map(displayText), true);
}

function writeFirstSteps(out: TextWriter, report: Report): void {
  out.heading('WHAT TO DO FIRST');
  const priorities = topPriorities(report, 3);
  if (priorities.length === 0) {
    out.paragraph(
      ITEM_INDENT,
      ITEM_INDENT.length,
      'Nothing urgent: no finding or incident above info.',
      ITEM_INDENT.length,
    );
  }
  priorities.forEach((item, index) => {
    const tag = severityTag(out, item.severity);
    const lead = `${ITEM_INDENT}${index + 1}. ${tag.text} `;
    const leadWidth = ITEM_INDENT.length + 3 + tag.width + 1;
    const text = item.fix === null ? item.title : `${item.title} — ${lowerFirst(item.fix)}.`;
    out.paragraph(lead, leadWidth, text, leadWidth);
  });
}

function lowerFirst(text: string): string {
  // Keeps acronyms and names (AWS, IAM, `aws sso login`) as they are.
  return /^[A-Z][a-z]/.test(text) ? `${text.charAt(0).toLowerCase()}${text.slice(1)}` : text;
}
