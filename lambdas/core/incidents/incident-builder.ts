import { stableId } from '../ids.js';
import { ACCESS_KEY_ID_PATTERN, maskAccessKeyId } from '../mask.js';
import { redactSecrets } from '../redact.js';
import { adviseIncident } from '../remediation/incident-advice.js';
import type { Incident, IncidentKind, Severity } from '../report.js';
import { toIso } from '../time.js';
import type { EvidenceSource, IncidentGroup } from './incident-group.js';

/** Default severity of each kind (PRODUCT.md); some groups raise it (root, keys). */
const BASE_SEVERITY: Readonly<Record<IncidentKind, Severity>> = {
  'revoked-key-in-use': 'high',
  'invalid-credentials': 'medium',
  'expired-credentials': 'medium',
  'no-credentials': 'medium',
  'clock-skew': 'medium',
  'access-denied': 'medium',
  'console-login-failure': 'medium',
  'root-activity': 'high',
  'anonymous-denied': 'low',
  'key-quarantined': 'critical',
};

const EVIDENCE_ORDER: readonly EvidenceSource[] = ['cloudtrail', 'logs', 'inventory'];

/**
 * Turns an aggregated group into the report's Incident: deterministic id, title, severity,
 * sorted lists, and causes/fixes chosen from the group's context. `owner` is left for the
 * audit to fill in from the inventory.
 */
export function buildIncident(group: IncidentGroup, accountId: string | null): Incident {
  const first = group.firstSeen ?? new Date(0);
  const last = group.lastSeen ?? first;
  const accessKeyIds = group.accessKeyIds.sorted();
  const errorCodes = group.errorCodes.toRecord();
  const advice = adviseIncident({
    kind: group.kind,
    runtimes: group.runtimes,
    families: group.families,
    hints: group.hints,
    errorCodes: Object.keys(errorCodes),
    keyUser: group.details.keyUser ?? null,
    keyStatus: group.details.keyStatus ?? null,
    revokedHoursAfterUse: group.details.revokedHoursAfterUse ?? null,
    temporaryKeys:
      accessKeyIds.some((id) => id.startsWith('ASIA')) &&
      !accessKeyIds.some((id) => id.startsWith('AKIA')),
    issuance: group.details.issuance ?? null,
    inferredExpiry: group.details.ranOut ?? false,
    actions: group.actions.sorted(),
    resources: group.resources.sorted(),
    rootWithKey: group.details.rootWithKey ?? false,
    rootLogin: group.details.rootLogin ?? false,
    probing: group.details.probing ?? false,
    quarantinedUser: group.details.quarantinedUser ?? null,
    accessKeyIds,
    unidentifiedKeys: group.details.unidentifiedKeys ?? 0,
    logGroups: group.logGroups.sorted(),
  });
  const overflow = overflowNote(group);
  return {
    id: stableId('i', accountId, group.kind, group.key),
    kind: group.kind,
    severity: severityOf(group),
    // Whatever a title quotes (a principal that is only a key id, a log group), no full key id.
    title: titleOf(group, accessKeyIds).replace(ACCESS_KEY_ID_PATTERN, maskAccessKeyId),
    firstSeen: toIso(first),
    lastSeen: toIso(last),
    count: group.count,
    errorCodes,
    accessKeyIds,
    principals: group.principals.sorted(),
    sourceIps: group.sourceIps.sorted(),
    // A user agent is whatever the caller chose to send; it gets the same scrubbing as log text.
    userAgents: [...new Set(group.userAgents.sorted().map(redactSecrets))],
    eventSources: group.eventSources.sorted(),
    logGroups: group.logGroups.sorted(),
    probableCauses: overflow ? [...advice.probableCauses, overflow] : advice.probableCauses,
    remediation: advice.remediation,
    evidence: EVIDENCE_ORDER.filter((source) => group.evidence.has(source)),
    owner: null,
  };
}

function severityOf(group: IncidentGroup): Severity {
  if (group.kind === 'root-activity' && group.details.rootWithKey) return 'critical';
  if (group.kind === 'console-login-failure' && group.details.rootLogin) return 'high';
  return BASE_SEVERITY[group.kind];
}

function titleOf(group: IncidentGroup, keys: readonly string[]): string {
  const n = group.count;
  const times = n === 1 ? 'once' : `${n} times`;
  const key = keys[0] ? maskAccessKeyId(keys[0]) : null;
  // Titles are read at a glance: the user's name; `principals` carries the full ARN.
  const user = group.details.keyUser;
  const keyOf = key ? `key ${key}${user ? ` of ${user}` : ''}` : null;
  const where =
    group.details.subject ??
    group.logGroups.sorted()[0] ??
    shortPrincipal(group.principals.sorted()[0]) ??
    keyOf ??
    'an unknown caller';
  switch (group.kind) {
    case 'revoked-key-in-use': {
      const state = group.details.keyStatus === 'Deleted' ? 'Deleted' : 'Deactivated';
      const failures = group.count - (group.details.revokedHoursAfterUse === undefined ? 0 : 1);
      if (failures > 0)
        return `${state} ${keyOf ?? 'key'} still in use: rejected ${failures === 1 ? 'once' : `${failures} times`}`;
      const subject = keyOf ? `Key ${keyOf.slice('key '.length)}` : 'A key';
      return `${subject} was ${state.toLowerCase()} ${hoursText(group.details.revokedHoursAfterUse)} after its last use: a caller may still hold it`;
    }
    case 'invalid-credentials':
      if (keyOf && group.details.keyStatus === 'Active')
        return `Active ${keyOf} rejected ${times}: wrong secret`;
      if (key) return `Unknown key ${key} rejected ${times}`;
      return `Invalid credentials in ${where}: rejected ${times}`;
    case 'expired-credentials': {
      const issuance = group.details.issuance;
      if (group.details.inferred && issuance) {
        const role = shortPrincipal(issuance.roleArn ?? undefined) ?? issuance.eventName;
        return `Session for ${role} ran out while in use${issuance.caller ? ` (${shortPrincipal(issuance.caller)})` : ''}`;
      }
      return `Expired credentials in ${where}: ${times}`;
    }
    case 'no-credentials':
      return `No credentials found in ${where}: ${times}`;
    case 'clock-skew':
      return `Clock skew in ${where}: requests rejected ${times}`;
    case 'access-denied': {
      const actions = group.actions.sorted();
      const what =
        actions.length > 0
          ? ` (${actions.slice(0, 2).join(', ')}${actions.length > 2 ? ', …' : ''})`
          : '';
      return `${where} denied ${times}${what}`;
    }
    case 'console-login-failure':
      if (group.details.probing)
        return `${n} failed console sign-ins for unknown user names from ${where}`;
      if (group.details.rootLogin) return `${n} failed console sign-ins for the root user`;
      return `${n} failed console sign-ins for ${where}`;
    case 'root-activity':
      if (group.details.rootWithKey && key)
        return `Root access key ${key} used: ${n} ${n === 1 ? 'call' : 'calls'}`;
      return `Root user activity: ${n} ${n === 1 ? 'event' : 'events'}`;
    case 'anonymous-denied':
      return `${n} denied anonymous S3 ${n === 1 ? 'request' : 'requests'} to ${where}`;
    case 'key-quarantined':
      return `AWS quarantined IAM user ${group.details.quarantinedUser ?? where}: an access key was exposed`;
  }
}

function hoursText(hours: number | undefined): string {
  if (hours === undefined) return 'shortly';
  if (hours < 1) return `${Math.max(1, Math.round(hours * 60))} min`;
  return `${Math.round(hours)} h`;
}

/** `arn:aws:iam::1:user/ci-bot` → `user/ci-bot`; other strings unchanged. */
export function shortPrincipal(arn: string | undefined): string | undefined {
  if (!arn) return undefined;
  const match = /^arn:[^:]+:(?:iam|sts)::\d*:(.+)$/.exec(arn);
  return match?.[1] ?? arn;
}

function overflowNote(group: IncidentGroup): string | null {
  const lists = [
    group.accessKeyIds,
    group.principals,
    group.sourceIps,
    group.userAgents,
    group.logGroups,
  ];
  const dropped = lists.reduce((sum, list) => sum + list.overflow, 0);
  if (dropped === 0) return null;
  return `More distinct callers than listed: ${dropped} further values were counted but not kept.`;
}
