import type {
  Button,
  ContextBlock,
  DividerBlock,
  HeaderBlock,
  KnownBlock,
  SectionBlock,
} from '@slack/types';
import { InputFormatError } from '../core/errors.js';
import type { Finding, Incident, Report, Severity } from '../core/report.js';
import { SEVERITIES } from '../core/report.js';
import {
  describeErrorCodes,
  describeLastUse,
  displayText,
  formatDateTime,
  formatDuration,
  keyLabel,
  plural,
  SEVERITY_LABELS,
} from './format.js';
import { type ConsoleLink, iamUserLink, principalLink } from './notifications/console-links.js';
import type { NotificationPayload } from './notifications/notification-payload.js';

/** A Slack incoming-webhook body: `text` is the fallback shown in notifications. */
export interface SlackMessage {
  readonly text: string;
  readonly blocks: KnownBlock[];
}

/**
 * What one Slack message is about: an SNS notification (one incident, or one owner's
 * reminder digest) or a whole report (the CLI's `--slack-webhook`). Both go through
 * `buildSlackMessage`, so the same findings and incidents always give the same message.
 */
export interface SlackDigest {
  readonly account: Report['account'];
  readonly window: Report['window'];
  readonly now: string;
  /** Whom a reminder digest is for; undefined for an incident or a whole report. */
  readonly owner?: string | null;
  readonly findings: readonly Finding[];
  readonly incidents: readonly Incident[];
}

/** Slack's limits (Block Kit reference): blocks a message, characters a section text, a header. */
export const SLACK_LIMITS = {
  blocks: 50,
  sectionText: 3_000,
  headerText: 150,
  buttonText: 75,
  fields: 10,
  /** Slack refuses messages whose blocks are much longer (`msg_blocks_too_long` near 13k). */
  blocksJson: 11_000,
} as const;

/** Items listed one by one before the rest are counted. */
const MAX_ITEMS = 15;
/** Longest fix step shown; the email and the report have it whole. */
const MAX_STEP = 600;

const ICONS: Readonly<Record<Severity, string>> = {
  critical: ':rotating_light:',
  high: ':red_circle:',
  medium: ':large_orange_circle:',
  low: ':large_yellow_circle:',
  info: ':information_source:',
};

/**
 * Reads the JSON an SNS Lambda subscriber receives (the `lambda` body of the message). Lists and
 * texts a producer left out are read as empty, so a thinner payload still gives a message
 * rather than a crash; what is not a notification at all is refused.
 *
 * @throws InputFormatError when it is not a credential-health notification.
 */
export function parseNotificationPayload(message: string): NotificationPayload {
  let value: unknown;
  try {
    value = JSON.parse(message);
  } catch (error) {
    throw new InputFormatError('SNS message is not JSON', { cause: error });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new InputFormatError('SNS message is not a JSON object');
  const raw = value as Record<string, unknown>;
  const base = {
    schemaVersion: 1 as const,
    id: text(raw.id, 'unknown'),
    account: account(raw.account),
    now: text(raw.now, ''),
    generatedAt: text(raw.generatedAt, ''),
    window: window(raw.window),
    severity: severity(raw.severity),
    owner: typeof raw.owner === 'string' ? raw.owner : null,
    subject: text(raw.subject, ''),
  };
  if (raw.type === 'credential-health.incident' && isObject(raw.incident)) {
    return { ...base, type: 'credential-health.incident', incident: incident(raw.incident) };
  }
  if (raw.type === 'credential-health.reminder' && Array.isArray(raw.findings)) {
    const part = isObject(raw.part) ? raw.part : {};
    return {
      ...base,
      type: 'credential-health.reminder',
      part: { index: number(part.index, 1), count: number(part.count, 1) },
      findings: raw.findings.filter(isObject).map(finding),
    };
  }
  throw new InputFormatError(
    `SNS message is not a credential-health notification (type ${JSON.stringify(raw.type)})`,
  );
}

/** The digest of one SNS notification: its incident, or its owner's findings. */
function slackDigestOfPayload(payload: NotificationPayload): SlackDigest {
  const common = { account: payload.account, window: payload.window ?? null, now: payload.now };
  return payload.type === 'credential-health.incident'
    ? { ...common, findings: [], incidents: [payload.incident] }
    : { ...common, owner: payload.owner, findings: payload.findings, incidents: [] };
}

/** The digest of a whole report, for the CLI's `--slack-webhook`. */
function slackDigestOfReport(report: Report): SlackDigest {
  return {
    account: report.account,
    window: report.window,
    now: report.now,
    findings: report.findings,
    incidents: report.incidents,
  };
}

/**
 * The Slack message the `slack-notify` function posts for an SNS notification.
 *
 * @example await postToSlack(fetch, url, slackMessage(parseNotificationPayload(record.Sns.Message)));
 */
export function slackMessage(payload: NotificationPayload): SlackMessage {
  return buildSlackMessage(slackDigestOfPayload(payload));
}

/** The Slack message the CLI posts for a whole report (`--slack-webhook`). */
export function slackReportMessage(report: Report): SlackMessage {
  return buildSlackMessage(slackDigestOfReport(report));
}

/**
 * The one Block Kit builder: a header saying the worst thing, the account and window, counts by
 * severity, then the worst items (incidents before findings of the same severity), each with
 * who, which key (masked), how old, last used where and from what, the fix and a button to the
 * IAM console; "and N more" for what does not fit. Within Slack's limits; everything from AWS
 * is escaped so it cannot form Slack markup (mentions, links). Pure.
 */
export function buildSlackMessage(digest: SlackDigest): SlackMessage {
  const items = ordered(digest);
  const accountName = displayText(digest.account.alias ?? digest.account.id ?? 'unknown account');
  const first = items[0];
  const headline =
    first === undefined
      ? `Credential health: nothing to report in ${accountName}`
      : `${first.item.severity.toUpperCase()}: ${displayText(first.item.title)}`;
  const more = items.length > 1 ? ` (+${items.length - 1} more)` : '';
  const head: KnownBlock[] = [
    header(items.length <= 1 ? headline : `${headline}${more}`),
    context(contextLine(digest)),
    countsSection(digest),
    divider(),
  ];

  const body: KnownBlock[] = [];
  const budget = SLACK_LIMITS.blocksJson - size(head) - 400;
  let used = 0;
  let shown = 0;
  for (const [index, entry] of items.entries()) {
    if (shown >= MAX_ITEMS || head.length + body.length + 2 > SLACK_LIMITS.blocks) break;
    const block =
      entry.type === 'incident'
        ? incidentSection(entry.item, digest.now, index)
        : findingSection(entry.item, index);
    const blockSize = size([block]);
    if (used + blockSize > budget) break;
    body.push(block);
    used += blockSize;
    shown += 1;
  }
  const rest = items.slice(shown);
  if (rest.length > 0) {
    const findings = rest.filter((entry) => entry.type === 'finding').length;
    const incidents = rest.length - findings;
    body.push(
      context(
        `…and ${rest.length} more (${[findings > 0 ? plural(findings, 'finding') : '', incidents > 0 ? plural(incidents, 'incident') : ''].filter((p) => p !== '').join(', ')}): the email digest and \`credhealth audit --format html\` list everything.`,
      ),
    );
  }
  return {
    text: clip(
      escapeMrkdwn(`${ICONS[first?.item.severity ?? 'info']} ${headline}${more} - ${accountName}`),
      SLACK_LIMITS.sectionText,
    ),
    blocks: [...head, ...body].slice(0, SLACK_LIMITS.blocks),
  };
}

type Entry =
  | { readonly type: 'incident'; readonly item: Incident }
  | { readonly type: 'finding'; readonly item: Finding };

/** Worst first; at equal severity incidents first, since they are failing right now. */
function ordered(digest: SlackDigest): Entry[] {
  const entries: Entry[] = [
    ...digest.incidents.map((item) => ({ type: 'incident' as const, item })),
    ...digest.findings.map((item) => ({ type: 'finding' as const, item })),
  ];
  // A stable sort keeps the report's own order within a severity.
  return entries.sort((a, b) => rank(a.item.severity) - rank(b.item.severity));
}

function contextLine(digest: SlackDigest): string {
  const { id, alias } = digest.account;
  const accountText =
    id !== null && alias !== null ? `${id} (${alias})` : (id ?? alias ?? 'unknown account');
  const parts = [`*Account:* ${escapeMrkdwn(displayText(accountText))}`];
  if (digest.window !== null) {
    parts.push(
      `*Window:* ${escapeMrkdwn(formatDateTime(digest.window.start))} → ${escapeMrkdwn(formatDateTime(digest.window.end))}`,
    );
  } else if (digest.now !== '') {
    parts.push(`*Evaluated:* ${escapeMrkdwn(formatDateTime(digest.now))}`);
  }
  if (digest.owner !== undefined)
    parts.push(
      `*For:* ${digest.owner === null ? 'nobody (no owner tag)' : escapeMrkdwn(displayText(digest.owner))}`,
    );
  return parts.join('  ·  ');
}

function countsSection(digest: SlackDigest): SectionBlock {
  const fields = SEVERITIES.flatMap((s) => {
    const findings = digest.findings.filter((f) => f.severity === s).length;
    const incidents = digest.incidents.filter((i) => i.severity === s).length;
    if (findings + incidents === 0) return [];
    const what = [
      findings > 0 ? plural(findings, 'finding') : '',
      incidents > 0 ? plural(incidents, 'incident') : '',
    ].filter((p) => p !== '');
    return [
      { type: 'mrkdwn' as const, text: `${ICONS[s]} *${SEVERITY_LABELS[s]}*\n${what.join(', ')}` },
    ];
  });
  if (fields.length === 0) return section('No findings and no credential failures in the window.');
  return { type: 'section', fields: fields.slice(0, SLACK_LIMITS.fields) };
}

function findingSection(finding: Finding, index: number): SectionBlock {
  const who = `*Who:* ${code(finding.principal.type === 'Root' ? 'root user' : finding.principal.name)}${finding.owner === null ? '' : ` · owner ${escapeMrkdwn(displayText(finding.owner))}`}`;
  const key = finding.accessKey;
  const keyLine =
    key === null
      ? null
      : `*Key:* ${code(key.id === null ? `key ${key.slot}` : keyLabel(key))} (key ${key.slot}, ${escapeMrkdwn(key.status)})${key.ageDays === null ? '' : ` · ${plural(key.ageDays, 'day')} old`} · ${escapeMrkdwn(describeLastUse(key))}`;
  const lines = [
    `${ICONS[finding.severity]} *${SEVERITY_LABELS[finding.severity]}* · *${escapeMrkdwn(displayText(finding.title))}*`,
    who,
    ...(keyLine === null ? [] : [keyLine]),
    ...fixLine(finding.remediation),
  ];
  const link = iamUserLink(finding.principal.type, finding.principal.name, finding.principal.arn);
  return withButton(section(lines.join('\n')), link, index);
}

function incidentSection(incident: Incident, now: string, index: number): SectionBlock {
  const ago = sinceText(incident.lastSeen, now);
  const seen =
    incident.firstSeen === incident.lastSeen
      ? `at ${formatDateTime(incident.firstSeen)}`
      : `${formatDateTime(incident.firstSeen)} → ${formatDateTime(incident.lastSeen)}`;
  const codes = describeErrorCodes(incident.errorCodes);
  const who = [
    incident.principals.length > 0
      ? `*Who:* ${codes3(incident.principals.map(shortPrincipal))}`
      : '',
    incident.accessKeyIds.length > 0 ? `*Keys:* ${codes3(incident.accessKeyIds)}` : '',
  ].filter((p) => p !== '');
  const from = [
    ...incident.sourceIps.slice(0, 3).map((ip) => escapeMrkdwn(displayText(ip))),
    ...incident.userAgents.slice(0, 2).map((ua) => code(clip(ua, 80))),
    ...incident.logGroups.slice(0, 2).map((group) => code(group)),
  ];
  const lines = [
    `${ICONS[incident.severity]} *${SEVERITY_LABELS[incident.severity]}* · *${escapeMrkdwn(displayText(incident.title))}*`,
    `*Seen:* ${plural(incident.count, 'time')}, ${escapeMrkdwn(seen)}${ago}${codes === '' ? '' : ` · ${escapeMrkdwn(displayText(codes))}`}`,
    ...(who.length > 0 ? [who.join(' · ')] : []),
    ...(from.length > 0 ? [`*From:* ${from.join(' · ')}`] : []),
    ...(incident.probableCauses[0] === undefined
      ? []
      : [
          `*Likely cause:* ${escapeMrkdwn(clip(displayText(incident.probableCauses[0]), MAX_STEP))}`,
        ]),
    ...fixLine(incident.remediation),
  ];
  const link = incident.principals.map(principalLink).find((l) => l !== null) ?? null;
  const block = section(lines.join('\n'));
  return link === null ? block : withButton(block, link, index);
}

/**
 * A principal as people name it: the user or role of an IAM ARN (with the session of an
 * assumed role), `root` for the root user; anything else as it is.
 */
function shortPrincipal(principal: string): string {
  const match = /^arn:aws[a-z-]*:(?:iam|sts)::\d{12}:(.+)$/.exec(principal);
  if (match === null) return principal;
  const parts = (match[1] ?? '').split('/');
  if (parts[0] === 'root') return 'root';
  if (parts[0] === 'assumed-role' && parts.length >= 3)
    return `${parts[1]}/${parts.slice(2).join('/')}`;
  return parts[parts.length - 1] ?? principal;
}

function fixLine(remediation: readonly string[]): string[] {
  const step = remediation[0];
  if (step === undefined) return [];
  const others =
    remediation.length > 1
      ? ` _(+${remediation.length - 1} more ${remediation.length === 2 ? 'step' : 'steps'})_`
      : '';
  return [`*What to do:* ${escapeMrkdwn(clip(displayText(step), MAX_STEP))}${others}`];
}

function sinceText(iso: string, now: string): string {
  const ms = Date.parse(now) - Date.parse(iso);
  return Number.isFinite(ms) && ms >= 0 ? ` (last ${formatDuration(ms)} ago)` : '';
}

function withButton(block: SectionBlock, link: ConsoleLink, index: number): SectionBlock {
  const button: Button = {
    type: 'button',
    text: {
      type: 'plain_text',
      text: clip(`Open ${link.label} in IAM`, SLACK_LIMITS.buttonText),
      emoji: false,
    },
    url: link.url,
    // Unique within the message; a webhook message's buttons only open their URL.
    action_id: `open-iam-${index}`,
  };
  return { ...block, accessory: button };
}

function header(textValue: string): HeaderBlock {
  return {
    type: 'header',
    text: {
      type: 'plain_text',
      text: clip(displayText(textValue), SLACK_LIMITS.headerText),
      emoji: true,
    },
  };
}

function section(mrkdwn: string): SectionBlock {
  return {
    type: 'section',
    text: { type: 'mrkdwn', text: clip(mrkdwn, SLACK_LIMITS.sectionText) },
  };
}

function context(mrkdwn: string): ContextBlock {
  return {
    type: 'context',
    elements: [{ type: 'mrkdwn', text: clip(mrkdwn, SLACK_LIMITS.sectionText) }],
  };
}

function divider(): DividerBlock {
  return { type: 'divider' };
}

/** A value as inline code; a backtick inside would end the code span early. */
function code(value: string): string {
  return `\`${escapeMrkdwn(displayText(value)).replace(/`/g, "'")}\``;
}

function codes3(values: readonly string[]): string {
  const shown = values.slice(0, 3).map(code).join(', ');
  return values.length > 3 ? `${shown} and ${values.length - 3} more` : shown;
}

/**
 * Slack's three control characters in mrkdwn: with them escaped, data cannot mention
 * `<!channel>`, a user or form a link.
 *
 * @example escapeMrkdwn('<!channel> & co') // '&lt;!channel&gt; &amp; co'
 */
export function escapeMrkdwn(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function clip(value: string, max: number): string {
  if (value.length <= max) return value;
  // Never end inside an escape (`&am`), which Slack would show as text.
  const cut = value.slice(0, max - 1).replace(/&[a-z]{0,3}$/, '');
  return `${cut}…`;
}

function size(blocks: readonly KnownBlock[]): number {
  return JSON.stringify(blocks).length;
}

function rank(value: Severity): number {
  const index = SEVERITIES.indexOf(value);
  return index < 0 ? SEVERITIES.length : index;
}

// ---- reading a payload defensively -----------------------------------------------------------

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}

function nullableText(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function number(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

function texts(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function severity(value: unknown): Severity {
  return (SEVERITIES as readonly unknown[]).includes(value) ? (value as Severity) : 'info';
}

function account(value: unknown): Report['account'] {
  const raw = isObject(value) ? value : {};
  return { id: nullableText(raw.id), alias: nullableText(raw.alias) };
}

function window(value: unknown): Report['window'] {
  if (!isObject(value) || typeof value.start !== 'string' || typeof value.end !== 'string')
    return null;
  return { start: value.start, end: value.end };
}

function incident(raw: Record<string, unknown>): Incident {
  const codes = isObject(raw.errorCodes) ? raw.errorCodes : {};
  return {
    ...(raw as unknown as Incident),
    id: text(raw.id, 'unknown'),
    severity: severity(raw.severity),
    title: text(raw.title, 'credential incident'),
    firstSeen: text(raw.firstSeen, ''),
    lastSeen: text(raw.lastSeen, ''),
    count: number(raw.count, 0),
    errorCodes: Object.fromEntries(
      Object.entries(codes).filter((e): e is [string, number] => typeof e[1] === 'number'),
    ),
    accessKeyIds: texts(raw.accessKeyIds),
    principals: texts(raw.principals),
    sourceIps: texts(raw.sourceIps),
    userAgents: texts(raw.userAgents),
    eventSources: texts(raw.eventSources),
    logGroups: texts(raw.logGroups),
    probableCauses: texts(raw.probableCauses),
    remediation: texts(raw.remediation),
    evidence: texts(raw.evidence) as Incident['evidence'],
    owner: nullableText(raw.owner),
  };
}

function finding(raw: Record<string, unknown>): Finding {
  const principal = isObject(raw.principal) ? raw.principal : {};
  const key = isObject(raw.accessKey) ? raw.accessKey : null;
  return {
    ...(raw as unknown as Finding),
    id: text(raw.id, 'unknown'),
    severity: severity(raw.severity),
    title: text(raw.title, 'credential finding'),
    detail: text(raw.detail, ''),
    principal: {
      type: principal.type === 'Root' ? 'Root' : 'IAMUser',
      name: text(principal.name, 'unknown user'),
      arn: nullableText(principal.arn),
    },
    accessKey:
      key === null
        ? null
        : {
            ...(key as unknown as NonNullable<Finding['accessKey']>),
            slot: key.slot === 2 ? 2 : 1,
            id: nullableText(key.id),
            maskedId: text(key.maskedId, `key ${key.slot === 2 ? 2 : 1}`),
            status: key.status === 'Inactive' ? 'Inactive' : 'Active',
            createdAt: nullableText(key.createdAt),
            lastUsedAt: nullableText(key.lastUsedAt),
            lastUsedRegion: nullableText(key.lastUsedRegion),
            lastUsedService: nullableText(key.lastUsedService),
            ageDays: typeof key.ageDays === 'number' ? key.ageDays : null,
          },
    owner: nullableText(raw.owner),
    controls: texts(raw.controls),
    remediation: texts(raw.remediation),
  };
}
