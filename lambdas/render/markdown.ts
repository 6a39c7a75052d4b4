import type { Finding, Incident, Report } from '../core/report.js';
import { SEVERITIES } from '../core/report.js';
import {
  CHECK_LABELS,
  describeAccount,
  describeCount,
  describeCredentialReport,
  describeErrorCodes,
  describeLastUse,
  describeWindow,
  displayText,
  formatDateTime,
  formatDay,
  groupBySeverity,
  INCIDENT_KIND_LABELS,
  incidentEvidence,
  keyLabel,
  SEVERITY_LABELS,
  SOURCE_STATE_LABELS,
  splitInlineCode,
  topPriorities,
} from './format.js';

/**
 * The report as GitHub-flavoured Markdown, to paste into a ticket or a pull request: a summary
 * table, one findings table per severity followed by each finding's fix, and one section per
 * incident. Data is escaped, key ids are masked.
 *
 * @example const body = renderMarkdown(report);
 */
export function renderMarkdown(report: Report): string {
  const lines: string[] = [];
  lines.push(`# Credential health: ${md(describeAccount(report))}`, '');
  lines.push(`- **Evaluated at:** ${formatDateTime(report.now)}`);
  lines.push(`- **IAM credential report:** ${md(describeCredentialReport(report))}`);
  lines.push(`- **Incident window:** ${md(describeWindow(report))}`, '');

  lines.push('## Summary', '');
  lines.push('| Severity | Findings | Incidents |', '|---|--:|--:|');
  for (const severity of SEVERITIES) {
    const findings = report.findings.filter((f) => f.severity === severity).length;
    const incidents = report.incidents.filter((i) => i.severity === severity).length;
    lines.push(`| ${SEVERITY_LABELS[severity]} | ${findings} | ${incidents} |`);
  }
  lines.push(`| **Total** | **${report.findings.length}** | **${report.incidents.length}** |`, '');

  const priorities = topPriorities(report, 3);
  if (priorities.length > 0) {
    lines.push('**What to do first:**', '');
    priorities.forEach((item, index) => {
      const fix = item.fix === null ? '' : ` ${prose(item.fix)}.`;
      lines.push(
        `${index + 1}. **${SEVERITY_LABELS[item.severity]}**: ${md(item.title.replace(/[.!?]$/, ''))}.${fix.replace(/\.\.$/, '.')}`,
      );
    });
    lines.push('');
  }

  lines.push('## Sources', '');
  lines.push('| Source | Status | Detail |', '|---|---|---|');
  for (const source of report.sources) {
    const status = source.status === 'ok' ? 'OK' : `**${SOURCE_STATE_LABELS[source.status]}**`;
    lines.push(`| ${cell(source.name)} | ${status} | ${cell(source.detail)} |`);
  }
  const incomplete = report.sources.filter((s) => s.status !== 'ok');
  if (incomplete.length > 0) {
    const states = incomplete.map((s) => `${md(s.name)} is ${md(s.status)}`).join(', ');
    lines.push(
      '',
      `> **Results may be incomplete:** ${states}. What those sources would have shown is not in this report.`,
    );
  }
  lines.push('');

  lines.push(`## Findings (${report.findings.length})`, '');
  if (report.findings.length === 0) lines.push('No findings.', '');
  let number = 0;
  for (const group of groupBySeverity(report.findings)) {
    lines.push(`### ${SEVERITY_LABELS[group.severity]} (${group.items.length})`, '');
    lines.push(
      '| # | Check | Principal | Access key | Age | Last used | Owner |',
      '|--:|---|---|---|--:|---|---|',
    );
    const first = number + 1;
    for (const finding of group.items) {
      number += 1;
      lines.push(findingRow(number, finding));
    }
    lines.push('');
    for (const [index, finding] of group.items.entries())
      lines.push(...findingDetail(first + index, finding));
  }

  lines.push(`## Incidents (${report.incidents.length})`, '');
  if (report.incidents.length === 0) lines.push('No credential failures in the window.', '');
  for (const [index, incident] of report.incidents.entries())
    lines.push(...incidentSection(index + 1, incident));

  return `${lines.join('\n').trimEnd()}\n`;
}

function findingRow(number: number, finding: Finding): string {
  const key = finding.accessKey;
  // Names in code spans: literal, and a name like `@ci-runner` does not mention anyone.
  const name = code(finding.principal.name, true);
  const principal = finding.principal.type === 'Root' ? `${name} (root)` : name;
  return [
    '',
    ` ${number} `,
    ` ${CHECK_LABELS[finding.check]} `,
    ` ${principal} `,
    ` ${key === null ? '' : `${key.id === null ? 'id unknown' : code(keyLabel(key), true)} (key ${key.slot}, ${key.status})`} `,
    ` ${key?.ageDays == null ? '' : `${key.ageDays} d`} `,
    ` ${key === null ? '' : cell(key.lastUsedAt === null ? 'never' : `${formatDay(key.lastUsedAt)}`)} `,
    ` ${finding.owner === null ? '' : cell(finding.owner)} `,
    '',
  ].join('|');
}

function findingDetail(number: number, finding: Finding): string[] {
  const lines = [`**${number}. ${md(finding.title)}**`, ''];
  lines.push(prose(finding.detail, true), '');
  const facts = [`Check \`${finding.check}\``];
  if (finding.controls.length > 0) facts.push(`controls: ${finding.controls.map(md).join(', ')}`);
  if (finding.accessKey !== null) facts.push(md(describeLastUse(finding.accessKey)));
  lines.push(`${facts.join(' · ')}`, '');
  lines.push(...fixLines(finding.remediation));
  return lines;
}

function incidentSection(number: number, incident: Incident): string[] {
  const lines = [
    `### ${number}. ${SEVERITY_LABELS[incident.severity]}: ${md(incident.title)}`,
    '',
    `- **Kind:** ${INCIDENT_KIND_LABELS[incident.kind]} (\`${incident.kind}\`), evidence from ${incident.evidence.join(' and ')}`,
    `- **Seen:** ${describeCount(incident.count)}, ${seenRange(incident)}`,
  ];
  const codes = describeErrorCodes(incident.errorCodes);
  if (codes.length > 0) lines.push(`- **Error codes:** ${md(codes)}`);
  for (const { label, values, literal } of incidentEvidence(incident)) {
    // Code spans keep literal values as written: a user agent's URL or `#` is not autolinked.
    const shown = values.map((v) => (literal ? code(v) : md(v))).join(', ');
    lines.push(`- **${label === 'Keys' ? 'Access keys' : label}:** ${shown}`);
  }
  lines.push('');
  if (incident.probableCauses.length > 0) {
    lines.push('Probable cause:', '');
    for (const cause of incident.probableCauses) lines.push(`- ${prose(cause, true)}`);
    lines.push('');
  }
  lines.push(...fixLines(incident.remediation));
  return lines;
}

/** The numbered fix steps under an item; nothing when there are none. */
function fixLines(steps: readonly string[]): string[] {
  if (steps.length === 0) return [];
  return ['Fix:', '', ...steps.map((step, index) => `${index + 1}. ${prose(step, true)}`), ''];
}

function seenRange(incident: Incident): string {
  return incident.firstSeen === incident.lastSeen
    ? `at ${formatDateTime(incident.firstSeen)}`
    : `from ${formatDateTime(incident.firstSeen)} to ${formatDateTime(incident.lastSeen)}`;
}

/**
 * Inline Markdown text from data: backslash-escapes what could start emphasis, links, HTML,
 * code, tables or a mention, so a name like `*admin*` or `<script>` shows as written.
 *
 * @example escapeMarkdown('a|b_c') // 'a\\|b\\_c'
 */
export function escapeMarkdown(text: string): string {
  return displayText(text)
    .replace(/[\\`*_[\]<>|~&!{}#]/g, '\\$&')
    .replace(/(^|\s)@/g, '$1\\@');
}

const md = escapeMarkdown;

/**
 * Prose from the report: commands written between backticks become code spans, the rest is
 * escaped; `atLineStart` also escapes what would open a block there.
 */
function prose(text: string, atLineStart = false): string {
  const parts = splitInlineCode(text).map((segment, index) => {
    if (segment.code) return code(segment.text);
    return index === 0 && atLineStart ? mdBlock(segment.text) : md(segment.text);
  });
  return parts.join('');
}

/** Text that starts a line or a list item, where `- `, `+ `, `=` or `1.` would start a block. */
function mdBlock(text: string): string {
  return md(text)
    .replace(/^([-+=])/, '\\$1')
    .replace(/^(\d+)([.)])/, '$1\\$2');
}

/** Table cells: the same escaping; `|` is already escaped so the row keeps its columns. */
function cell(text: string): string {
  return escapeMarkdown(text);
}

/**
 * A code span that holds any text: the fence is one backtick longer than the longest run
 * inside; in a table `|` is escaped too, because GFM splits rows on it even inside code.
 */
function code(text: string, inTable = false): string {
  const shown = displayText(text);
  const clean = inTable ? shown.replace(/\|/g, '\\|') : shown;
  const longest = Math.max(0, ...(clean.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = clean.startsWith('`') || clean.endsWith('`') || clean.length === 0 ? ' ' : '';
  return `${fence}${pad}${clean}${pad}${fence}`;
}
