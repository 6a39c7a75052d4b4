import { ACCESS_KEY_ID_PATTERN, maskAccessKeyId } from '../core/mask.js';
import type {
  CheckId,
  Finding,
  Incident,
  IncidentKind,
  Report,
  ReportAccessKey,
  Severity,
  SourceState,
} from '../core/report.js';
import { SEVERITIES } from '../core/report.js';

/** Severity names as people read them, e.g. in headings. */
export const SEVERITY_LABELS: Readonly<Record<Severity, string>> = {
  critical: 'Critical',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
  info: 'Info',
};

/** Short human names of the checks, for table cells and chart labels. */
export const CHECK_LABELS: Readonly<Record<CheckId, string>> = {
  'root-access-key': 'Root access key',
  'root-mfa-disabled': 'Root without MFA',
  'root-recent-use': 'Root used recently',
  'key-rotation-due': 'Key rotation due',
  'key-rotation-overdue': 'Key rotation overdue',
  'key-unused': 'Unused key',
  'key-inactive': 'Inactive key still present',
  'multiple-active-keys': 'Two active keys',
  'key-created-with-user': 'Key created with user, never used',
  'console-user-no-mfa': 'Console user without MFA',
  'password-unused': 'Unused password',
  'signing-cert-old': 'Old signing certificate',
};

/** Short human names of the incident kinds. */
export const INCIDENT_KIND_LABELS: Readonly<Record<IncidentKind, string>> = {
  'revoked-key-in-use': 'Revoked key still in use',
  'invalid-credentials': 'Invalid credentials',
  'expired-credentials': 'Expired credentials',
  'no-credentials': 'No credentials found',
  'clock-skew': 'Clock skew',
  'access-denied': 'Access denied',
  'console-login-failure': 'Console sign-in failures',
  'root-activity': 'Root activity',
  'anonymous-denied': 'Anonymous requests denied',
  'key-quarantined': 'Key quarantined by AWS',
};

/** Findings and incidents of one severity, worst severity first; empty severities left out. */
export interface SeverityGroup<T> {
  readonly severity: Severity;
  readonly items: readonly T[];
}

/**
 * Groups items by severity in the order of SEVERITIES, keeping each group's input order
 * (the report already sorts within a severity).
 *
 * @example groupBySeverity(report.findings)[0]?.severity // 'critical' when there is one
 */
export function groupBySeverity<T extends { readonly severity: Severity }>(
  items: readonly T[],
): SeverityGroup<T>[] {
  return SEVERITIES.map((severity) => ({
    severity,
    items: items.filter((item) => item.severity === severity),
  })).filter((group) => group.items.length > 0);
}

/**
 * `1 finding`, `2 findings`; the plural form defaults to the singular plus `s`.
 *
 * @example plural(1, 'key') // '1 key'
 */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

/**
 * An ISO instant as `2026-11-20 12:00 UTC`; the input unchanged when it is not a date, so a
 * damaged value is shown rather than hidden.
 *
 * @example formatDateTime('2026-11-20T12:00:00Z') // '2026-11-20 12:00 UTC'
 */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/**
 * The calendar day (UTC) of an ISO instant.
 *
 * @example formatDay('2026-11-20T23:59:59Z') // '2026-11-20'
 */
export function formatDay(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toISOString().slice(0, 10);
}

/**
 * A span of time in the largest unit that reads naturally.
 *
 * @example formatDuration(86_400_000) // '24 hours'
 */
export function formatDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 120) return plural(minutes, 'minute');
  const hours = Math.round(ms / 3_600_000);
  if (hours <= 48) return plural(hours, 'hour');
  return plural(Math.round(ms / 86_400_000), 'day');
}

/**
 * The key id people may see: masked from the full id when known, otherwise the report's own
 * label (`key 1`). Never the full id.
 *
 * @example keyLabel({ id: 'AKIAIOSFODNN7EXAMPLE', maskedId: 'AKIA…MPLE', ... }) // 'AKIA…MPLE'
 */
export function keyLabel(key: ReportAccessKey): string {
  return key.id === null ? displayText(key.maskedId) : maskAccessKeyId(displayText(key.id));
}

/**
 * Masks every access key id that appears in free text (titles, details, fixes), so a full id
 * written by a check or a log line never reaches a message meant for people.
 *
 * @example maskKeyIds('key AKIAIOSFODNN7EXAMPLE is old') // 'key AKIA…MPLE is old'
 */
export function maskKeyIds(text: string): string {
  return text.replace(new RegExp(ACCESS_KEY_ID_PATTERN.source, 'g'), (id) => maskAccessKeyId(id));
}

/**
 * One line about an access key: id, slot, status, age, last use.
 *
 * @example describeKey(key) // 'AKIA…MPLE (key 1, Active), created 2026-01-02, 322 days old; last used 2026-11-19 in us-east-1 (s3)'
 */
export function describeKey(key: ReportAccessKey): string {
  const parts = [
    key.id === null
      ? `key ${key.slot} (id unknown, ${key.status})`
      : `${keyLabel(key)} (key ${key.slot}, ${key.status})`,
  ];
  if (key.createdAt !== null) {
    const age = key.ageDays === null ? '' : `, ${plural(key.ageDays, 'day')} old`;
    parts.push(`, created ${formatDay(key.createdAt)}${age}`);
  } else if (key.ageDays !== null) {
    parts.push(`, ${plural(key.ageDays, 'day')} old`);
  }
  parts.push(`; ${describeLastUse(key)}`);
  return parts.join('');
}

/**
 * When and where a key was last used, or that it never was.
 *
 * @example describeLastUse(key) // 'last used 2026-11-19 in us-east-1 (s3)'
 */
export function describeLastUse(key: ReportAccessKey): string {
  if (key.lastUsedAt === null) return 'never used';
  const where = key.lastUsedRegion === null ? '' : ` in ${displayText(key.lastUsedRegion)}`;
  const service = key.lastUsedService === null ? '' : ` (${displayText(key.lastUsedService)})`;
  return `last used ${formatDay(key.lastUsedAt)}${where}${service}`;
}

/**
 * Who a finding is about, with the principal type when it is not an IAM user.
 *
 * @example describePrincipal(finding) // 'ci-bot'
 */
export function describePrincipal(finding: Finding): string {
  const name = displayText(finding.principal.name);
  return finding.principal.type === 'Root' ? `${name} (root user)` : name;
}

/**
 * The account as a heading names it.
 *
 * @example describeAccount(report) // '123456789012 (acme-prod)'
 */
export function describeAccount(report: Report): string {
  const { id, alias } = report.account;
  if (id !== null && alias !== null) return displayText(`${id} (${alias})`);
  return displayText(id ?? alias ?? 'unknown account');
}

/**
 * The freshness of the IAM credential report, which AWS may serve up to 4 hours old.
 *
 * @example describeCredentialReport(report) // 'generated 2026-11-20 09:30 UTC, 2.5 hours before evaluation, 14 rows'
 */
export function describeCredentialReport(report: Report): string {
  const { generatedAt, ageHours, rows } = report.credentialReport;
  if (generatedAt === null) return `generation time unknown, ${plural(rows, 'row')}`;
  const age = ageHours === null ? '' : `, ${plural(ageHours, 'hour')} before evaluation`;
  return `generated ${formatDateTime(generatedAt)}${age}, ${plural(rows, 'row')}`;
}

/**
 * The incident window, with its length.
 *
 * @example describeWindow(report) // '2026-11-19 12:00 UTC to 2026-11-20 12:00 UTC (24 hours)'
 */
export function describeWindow(report: Report): string {
  if (report.window === null) return 'no incident window (incidents were not searched)';
  const { start, end } = report.window;
  const ms = new Date(end).getTime() - new Date(start).getTime();
  const length = Number.isNaN(ms) ? '' : ` (${formatDuration(ms)})`;
  return `${formatDateTime(start)} to ${formatDateTime(end)}${length}`;
}

/** What a source state means for the reader. */
export const SOURCE_STATE_LABELS: Readonly<Record<SourceState, string>> = {
  ok: 'OK',
  degraded: 'DEGRADED',
  missing: 'MISSING',
};

/**
 * Error codes with their counts, largest first.
 *
 * @example describeErrorCodes({ ExpiredToken: 12, RequestExpired: 3 }) // 'ExpiredToken ×12, RequestExpired ×3'
 */
export function describeErrorCodes(codes: Readonly<Record<string, number>>): string {
  return Object.entries(codes)
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0))
    .map(([code, count]) => `${code} ×${count}`)
    .join(', ');
}

/** One labelled list of an incident's evidence, as every human format shows it. */
export interface IncidentEvidenceList {
  readonly label:
    | 'Keys'
    | 'Principals'
    | 'Owner'
    | 'Source IPs'
    | 'User agents'
    | 'Services'
    | 'Log groups';
  /** Key ids already masked; everything else as the incident has it, for the format to escape. */
  readonly values: readonly string[];
  /** Ids, names and user agents: text a format shows literally (as code) rather than as prose. */
  readonly literal: boolean;
}

/**
 * The non-empty evidence lists of an incident, in the order every format shows them, so the
 * text, Markdown and HTML reports name the same facts the same way.
 *
 * @example incidentEvidence(incident).map((list) => list.label) // ['Keys', 'Principals', 'Source IPs']
 */
export function incidentEvidence(incident: Incident): IncidentEvidenceList[] {
  const lists: IncidentEvidenceList[] = [
    {
      label: 'Keys',
      values: incident.accessKeyIds.map((id) => maskAccessKeyId(displayText(id))),
      literal: true,
    },
    { label: 'Principals', values: incident.principals, literal: true },
    { label: 'Owner', values: incident.owner === null ? [] : [incident.owner], literal: false },
    { label: 'Source IPs', values: incident.sourceIps, literal: false },
    { label: 'User agents', values: incident.userAgents, literal: true },
    { label: 'Services', values: incident.eventSources, literal: false },
    { label: 'Log groups', values: incident.logGroups, literal: true },
  ];
  return lists.filter((list) => list.values.length > 0);
}

/**
 * How often an incident was seen.
 *
 * @example describeCount(1) // 'once'
 */
export function describeCount(count: number): string {
  return count === 1 ? 'once' : `${count} times`;
}

/** An item that needs attention, for the "what to do first" list. */
export interface Priority {
  readonly severity: Severity;
  readonly title: string;
  /** The first clause of the first remediation step. */
  readonly fix: string | null;
  readonly type: 'finding' | 'incident';
}

/**
 * The items to handle first: worst severity first, and at equal severity incidents before
 * findings, since an incident is something failing right now.
 *
 * @example topPriorities(report, 3).map((p) => p.title)
 */
export function topPriorities(report: Report, limit: number): Priority[] {
  const items: Priority[] = [
    ...report.incidents.map((incident: Incident) => ({
      severity: incident.severity,
      title: displayText(incident.title),
      fix: firstLine(incident.remediation),
      type: 'incident' as const,
    })),
    ...report.findings.map((finding: Finding) => ({
      severity: finding.severity,
      title: displayText(finding.title),
      fix: firstLine(finding.remediation),
      type: 'finding' as const,
    })),
  ];
  // A stable sort keeps incidents ahead of findings within a severity.
  return items
    .sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity))
    .filter((item) => item.severity !== 'info')
    .slice(0, limit);
}

function firstLine(lines: readonly string[]): string | null {
  const line = lines[0];
  return line === undefined ? null : firstClause(displayText(line));
}

// C0 and C1 control characters and the bidirectional overrides: a CloudTrail user agent or a
// log line is written by whoever made the call, and these would let it repaint a terminal or
// reorder what a reader sees.
const CONTROL_CHARACTERS =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
const LINE_BREAKS = /[\t\n\r\u2028\u2029]+/g;

/**
 * Data made fit for people: control characters replaced by `?`, line breaks and tabs by one
 * space, and every access key id masked. Every human-readable renderer passes data through it.
 *
 * @example displayText('ua\u001b[2Jx AKIAIOSFODNN7EXAMPLE') // 'ua?[2Jx AKIA…MPLE'
 */
export function displayText(text: string): string {
  return maskKeyIds(text.replace(LINE_BREAKS, ' ').replace(CONTROL_CHARACTERS, '?'));
}

/**
 * Breaks text into lines of at most `width` characters at spaces; a word longer than the
 * width (an ARN, a user agent) stays whole on its own line rather than being cut.
 *
 * @example wrapText('a b c', 3) // ['a b', 'c']
 */
export function wrapText(text: string, width: number): string[] {
  const words = text.split(' ').filter((word) => word.length > 0);
  const lines: string[] = [];
  let current = '';
  for (const word of words) {
    if (current.length === 0) current = word;
    else if (current.length + 1 + word.length <= width) current = `${current} ${word}`;
    else {
      lines.push(current);
      current = word;
    }
  }
  if (current.length > 0 || lines.length === 0) lines.push(current);
  return lines;
}

/** A piece of prose: plain text, or a command or name that was written between backticks. */
export interface ProseSegment {
  readonly code: boolean;
  readonly text: string;
}

/**
 * Splits prose at its backtick pairs, so Markdown and HTML can show commands as code while
 * escaping the rest; an unpaired backtick stays plain text.
 *
 * @example splitInlineCode('run `aws sso login` again') // [plain 'run ', code 'aws sso login', plain ' again']
 */
export function splitInlineCode(text: string): ProseSegment[] {
  const segments: ProseSegment[] = [];
  const pattern = /`([^`]+)`/g;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    const start = match.index ?? 0;
    if (start > last) segments.push({ code: false, text: text.slice(last, start) });
    segments.push({ code: true, text: match[1] ?? '' });
    last = start + match[0].length;
  }
  if (last < text.length || segments.length === 0)
    segments.push({ code: false, text: text.slice(last) });
  return segments;
}

/**
 * The first clause of a fix, for the "what to do first" list: up to the first `: `, `; ` or
 * sentence end, when that leaves something meaningful; the whole fix otherwise.
 *
 * @example firstClause('Rotate the key; then delete the old one.') // 'Rotate the key'
 */
export function firstClause(text: string): string {
  const match = /^(.{20,}?)(?::\s|;\s|\.\s|\.$)/.exec(text);
  return match?.[1] ?? text;
}
