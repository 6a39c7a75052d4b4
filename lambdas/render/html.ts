import { createHash } from 'node:crypto';
import { DEFAULT_CONFIG } from '../core/config.js';
import type { Finding, Incident, Report, Severity } from '../core/report.js';
import { SEVERITIES } from '../core/report.js';
import { severityRank } from '../core/report-builder.js';
import {
  CHECK_LABELS,
  describeAccount,
  describeCredentialReport,
  describeErrorCodes,
  describeLastUse,
  describeWindow,
  formatDateTime,
  formatDay,
  INCIDENT_KIND_LABELS,
  incidentEvidence,
  keyLabel,
  plural,
  SEVERITY_LABELS,
  SOURCE_STATE_LABELS,
  splitInlineCode,
  topPriorities,
} from './format.js';
import { incidentTimeline, keyAgeChart, keysOfFindings } from './html/charts.js';
import { escapeHtml, h } from './html/escape.js';
import { SORT_SCRIPT } from './html/script.js';
import { STYLES } from './html/styles.js';

/** Options of the HTML page. */
export interface HtmlOptions {
  /** Rotation limit drawn on the key-age chart. @default 90 */
  readonly maxKeyAgeDays?: number;
  /** Days before the limit when rotation falls due, drawn on the chart. @default 14 */
  readonly reminderLeadDays?: number;
}

const DEFAULT_MAX_KEY_AGE_DAYS = DEFAULT_CONFIG.thresholds.maxKeyAgeDays;
const DEFAULT_REMINDER_LEAD_DAYS = DEFAULT_CONFIG.thresholds.reminderLeadDays;
// Beyond this a chart gets taller than a screen and stops helping; the tables list everything.
const CHART_ROWS = 40;

/**
 * The report as one self-contained HTML page: summary cards, a key-age chart, an incident
 * timeline, and sortable tables of findings and incidents with their fixes. No external
 * asset or request; a Content-Security-Policy allows only the page's own style and script
 * (by hash). All data is escaped and key ids are masked.
 *
 * @example writeFileSync('report.html', renderHtml(report));
 */
export function renderHtml(report: Report, options: HtmlOptions = {}): string {
  const limits = {
    maxKeyAgeDays: positiveOr(options.maxKeyAgeDays, DEFAULT_MAX_KEY_AGE_DAYS),
    reminderLeadDays: nonNegativeOr(options.reminderLeadDays, DEFAULT_REMINDER_LEAD_DAYS),
  };
  const account = describeAccount(report);
  const csp = [
    "default-src 'none'",
    `style-src '${sha256(STYLES)}'`,
    `script-src '${sha256(SORT_SCRIPT)}'`,
    "img-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const keys = keysOfFindings(report.findings);
  const body = [
    '<header>',
    `<h1>Credential health: ${escapeHtml(account)}</h1>`,
    '<dl class="meta">',
    `<dt>Evaluated at</dt><dd><time datetime="${h(report.now)}">${h(formatDateTime(report.now))}</time></dd>`,
    `<dt>IAM credential report</dt><dd>${h(describeCredentialReport(report))}</dd>`,
    `<dt>Incident window</dt><dd>${h(describeWindow(report))}</dd>`,
    '</dl>',
    '</header>',
    '<main>',
    summarySection(report),
    sourcesSection(report),
    '<section aria-labelledby="key-age-h">',
    '<h2 id="key-age-h">Access key age</h2>',
    keys.length === 0
      ? '<p>No access key is named in a finding.</p>'
      : [
          '<figure>',
          keyAgeChart(keys.slice(0, CHART_ROWS), limits, 'wide'),
          keyAgeChart(keys.slice(0, CHART_ROWS), limits, 'narrow'),
          `<figcaption>${keys.length > CHART_ROWS ? `The ${CHART_ROWS} oldest of ${keys.length} keys` : 'Keys'} named in findings (healthy keys are not listed in the report). Rotation is due after ${limits.maxKeyAgeDays - limits.reminderLeadDays} days (dashed line) and overdue after ${limits.maxKeyAgeDays} days (solid line); machine users may have their own limit.</figcaption>`,
          '</figure>',
        ].join('\n'),
    '</section>',
    '<section aria-labelledby="timeline-h">',
    '<h2 id="timeline-h">Incident timeline</h2>',
    report.incidents.length === 0
      ? '<p>No credential failures in the window.</p>'
      : `<figure>\n${incidentTimeline(report, CHART_ROWS, 'wide')}\n${incidentTimeline(report, CHART_ROWS, 'narrow')}\n<figcaption>${report.incidents.length > CHART_ROWS ? `The first ${CHART_ROWS} of ${report.incidents.length} incidents, worst first. ` : ''}Each bar runs from the first to the last event of an incident; the number after it is the event count.</figcaption>\n</figure>`,
    '</section>',
    findingsSection(report.findings),
    incidentsSection(report.incidents),
    '</main>',
    '<footer>',
    `<p>credential-health report, schema version ${escapeHtml(String(report.schemaVersion))}. Access key ids are shortened to their first and last four characters; the JSON format has them in full.</p>`,
    '</footer>',
  ].join('\n');
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    '<meta name="referrer" content="no-referrer">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>Credential health: ${escapeHtml(account)}, ${h(formatDay(report.now))}</title>`,
    `<style>${STYLES}</style>`,
    '</head>',
    '<body>',
    body,
    `<script>${SORT_SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function summarySection(report: Report): string {
  const cards = SEVERITIES.map((severity) => {
    const findings = report.findings.filter((f) => f.severity === severity).length;
    const incidents = report.incidents.filter((i) => i.severity === severity).length;
    const total = report.summary[severity];
    return [
      `<li class="card sev-${severity}${total === 0 ? ' zero' : ''}">`,
      `<span class="count">${total}</span>`,
      `<span class="name">${SEVERITY_LABELS[severity]}</span>`,
      `<span class="split">${plural(findings, 'finding')}, ${plural(incidents, 'incident')}</span>`,
      '</li>',
    ].join('');
  });
  const priorities = topPriorities(report, 3);
  const first =
    priorities.length === 0
      ? '<p>Nothing urgent: no finding or incident above info.</p>'
      : [
          '<h3>What to do first</h3>',
          '<ol class="first-steps">',
          ...priorities.map(
            (item) =>
              `<li>${badge(item.severity)} <strong>${escapeHtml(item.title)}</strong>${item.fix === null ? '' : ` — ${prose(item.fix)}.`}</li>`,
          ),
          '</ol>',
        ].join('\n');
  return [
    '<section aria-labelledby="summary-h">',
    '<h2 id="summary-h">Summary</h2>',
    `<p>${plural(report.findings.length, 'finding')} and ${plural(report.incidents.length, 'incident')}, by severity:</p>`,
    `<ul class="cards">${cards.join('')}</ul>`,
    first,
    '</section>',
  ].join('\n');
}

function sourcesSection(report: Report): string {
  const incomplete = report.sources.filter((s) => s.status !== 'ok');
  const notice =
    incomplete.length === 0
      ? ''
      : `<p class="notice" role="note"><strong>Results may be incomplete:</strong> ${incomplete
          .map((s) => `${h(s.name)} is ${h(s.status)}`)
          .join(', ')}. What those sources would have shown is not in this report.</p>`;
  const rows = report.sources.map(
    (source) =>
      `<tr><th scope="row">${h(source.name)}</th><td data-label="Status"><span class="badge state-${h(source.status)}">${h(label(SOURCE_STATE_LABELS, source.status))}</span></td><td data-label="Detail">${h(source.detail)}</td></tr>`,
  );
  return [
    '<section aria-labelledby="sources-h">',
    '<h2 id="sources-h">Sources</h2>',
    notice,
    '<div class="table-wrap"><table class="sources">',
    '<thead><tr><th scope="col">Source</th><th scope="col">Status</th><th scope="col">Detail</th></tr></thead>',
    `<tbody>${rows.join('\n')}</tbody>`,
    '</table></div>',
    '</section>',
  ].join('\n');
}

function findingsSection(findings: readonly Finding[]): string {
  if (findings.length === 0) {
    return '<section aria-labelledby="findings-h"><h2 id="findings-h">Findings</h2><p>No findings: every credential checked is within its limits.</p></section>';
  }
  const rows = findings.map((finding, index) => {
    const key = finding.accessKey;
    const keyCell =
      key === null
        ? '<td data-label="Access key" class="empty"></td>'
        : `<td data-label="Access key"><code>${key.id === null ? 'id unknown' : h(keyLabel(key))}</code><span class="sub">key ${key.slot}, ${key.status}</span><span class="sub">${h(describeLastUse(key))}</span></td>`;
    const age = key?.ageDays ?? null;
    return [
      `<tr data-order="${index}">`,
      `<td data-label="Severity" data-sort-value="${severityRank(finding.severity)}">${badge(finding.severity)}</td>`,
      `<td data-label="Finding"><span class="title">${h(finding.title)}</span>${prose(finding.detail)}<span class="sub">${h(label(CHECK_LABELS, finding.check))} (<code>${h(finding.check)}</code>)${finding.controls.length > 0 ? `; ${finding.controls.map(h).join(', ')}` : ''}</span></td>`,
      `<td data-label="Principal">${principalCell(finding)}</td>`,
      keyCell,
      `<td data-label="Age (days)" class="num${age === null ? ' empty' : ''}" data-sort-value="${age ?? ''}">${age === null ? '' : age}</td>`,
      `<td data-label="Owner">${finding.owner === null ? '<span class="sub">none known</span>' : h(finding.owner)}</td>`,
      `<td data-label="Fix">${steps(finding.remediation, 'ol')}</td>`,
      '</tr>',
    ].join('');
  });
  return [
    '<section aria-labelledby="findings-h">',
    `<h2 id="findings-h">Findings (${findings.length})</h2>`,
    '<div class="table-wrap"><table class="findings" data-sortable>',
    '<caption>Worst first. Click a column heading to sort.</caption>',
    '<thead><tr>',
    '<th scope="col" data-sort="number" aria-sort="ascending">Severity</th>',
    '<th scope="col" data-sort="text">Finding</th>',
    '<th scope="col" data-sort="text">Principal</th>',
    '<th scope="col" data-sort="text">Access key</th>',
    '<th scope="col" class="num" data-sort="number">Age (days)</th>',
    '<th scope="col" data-sort="text">Owner</th>',
    '<th scope="col">Fix</th>',
    '</tr></thead>',
    `<tbody>\n${rows.join('\n')}\n</tbody>`,
    '</table></div>',
    '</section>',
  ].join('\n');
}

function principalCell(finding: Finding): string {
  const name = finding.principal.name;
  if (finding.principal.type === 'Root') return `${h(name)}<span class="sub">root user</span>`;
  // A link to the user's page in the IAM console, the only kind of link the page has.
  const href = `https://console.aws.amazon.com/iam/home#/users/details/${encodeURIComponent(name)}?section=security_credentials`;
  return `<a href="${escapeHtml(href)}" rel="noreferrer noopener">${h(name)}</a>`;
}

function incidentsSection(incidents: readonly Incident[]): string {
  if (incidents.length === 0) {
    return '<section aria-labelledby="incidents-h"><h2 id="incidents-h">Incidents</h2><p>No credential failures in the window.</p></section>';
  }
  const rows = incidents.map((incident, index) => {
    const facts: [string, string][] = [];
    const codes = describeErrorCodes(incident.errorCodes);
    if (codes.length > 0) facts.push(['Errors', h(codes)]);
    for (const { label, values, literal } of incidentEvidence(incident)) {
      const shown = values.map((v) => (literal ? `<code>${h(v)}</code>` : h(v)));
      facts.push([label, shown.join(', ')]);
    }
    facts.push(['Evidence', h(incident.evidence.join(', '))]);
    const seen =
      incident.firstSeen === incident.lastSeen
        ? `<time datetime="${h(incident.firstSeen)}">${h(formatDateTime(incident.firstSeen))}</time>`
        : `<time datetime="${h(incident.firstSeen)}">${h(formatDateTime(incident.firstSeen))}</time> to <time datetime="${h(incident.lastSeen)}">${h(formatDateTime(incident.lastSeen))}</time>`;
    return [
      `<tr data-order="${index}">`,
      `<td data-label="Severity" data-sort-value="${severityRank(incident.severity)}">${badge(incident.severity)}</td>`,
      `<td data-label="Incident"><span class="title">${h(incident.title)}</span><span class="sub">${h(label(INCIDENT_KIND_LABELS, incident.kind))} (<code>${h(incident.kind)}</code>)</span></td>`,
      `<td data-label="Seen (UTC)" data-sort-value="${h(incident.lastSeen)}">${seen}</td>`,
      `<td data-label="Events" class="num">${incident.count}</td>`,
      `<td data-label="Evidence"><dl>${facts.map(([dt, dd]) => `<dt>${dt}</dt><dd>${dd}</dd>`).join('')}</dl></td>`,
      `<td data-label="Cause and fix">${incident.probableCauses.length > 0 ? `<strong>Probable cause</strong>${steps(incident.probableCauses, 'ul')}` : ''}${incident.remediation.length > 0 ? `<strong>Fix</strong>${steps(incident.remediation, 'ol')}` : ''}</td>`,
      '</tr>',
    ].join('');
  });
  return [
    '<section aria-labelledby="incidents-h">',
    `<h2 id="incidents-h">Incidents (${incidents.length})</h2>`,
    '<div class="table-wrap"><table class="incidents" data-sortable>',
    '<caption>Worst first, then most recent. Click a column heading to sort.</caption>',
    '<thead><tr>',
    '<th scope="col" data-sort="number" aria-sort="ascending">Severity</th>',
    '<th scope="col" data-sort="text">Incident</th>',
    '<th scope="col" data-sort="text">Seen (UTC)</th>',
    '<th scope="col" class="num" data-sort="number">Events</th>',
    '<th scope="col">Evidence</th>',
    '<th scope="col">Cause and fix</th>',
    '</tr></thead>',
    `<tbody>\n${rows.join('\n')}\n</tbody>`,
    '</table></div>',
    '</section>',
  ].join('\n');
}

/** Prose from the report, with commands written between backticks shown as code. */
function prose(text: string): string {
  return splitInlineCode(text)
    .map((segment) => (segment.code ? `<code>${h(segment.text)}</code>` : h(segment.text)))
    .join('');
}

function badge(severity: Severity): string {
  // Enum values are escaped too: a report read back from JSON is data like any other.
  const label = (SEVERITY_LABELS as Readonly<Record<string, string>>)[severity] ?? severity;
  return `<span class="badge sev-${h(severity)}">${h(label)}</span>`;
}

function steps(lines: readonly string[], tag: 'ol' | 'ul'): string {
  if (lines.length === 0) return '';
  return `<${tag}>${lines.map((line) => `<li>${prose(line)}</li>`).join('')}</${tag}>`;
}

function label(labels: Readonly<Record<string, string>>, value: string): string {
  return labels[value] ?? value;
}

/** The CSP source expression for an inline script or style. */
function sha256(content: string): string {
  return `sha256-${createHash('sha256').update(content, 'utf8').digest('base64')}`;
}

function positiveOr(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
}

function nonNegativeOr(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value >= 0 ? value : fallback;
}
