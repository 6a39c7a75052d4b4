import { parseAwsTime } from '../aws-time.js';
import {
  type CloudTrailEvent,
  normalizeCloudTrailRecord,
  principalOf,
} from '../cloudtrail-event.js';
import { compareText } from '../compare-text.js';
import { type AuditConfig, minEventsFor, parseDurationMs } from '../config.js';
import type { Inventory, PrincipalRecord } from '../inventory.js';
import { type CredentialHint, classifyLogLine, type LogLineClassification } from '../log-line.js';
import { redactSecrets } from '../redact.js';
import type { Incident, IncidentKind } from '../report.js';
import type { LogEntry, TimeWindow } from '../sources.js';
import { runtimeFromPrincipal } from '../user-agent.js';
import {
  deniedRequest,
  HIDDEN_USER,
  isAccessDeniedCode,
  isAnonymous,
  isConsoleLoginFailure,
  isMadeByAwsService,
  quarantinedUser,
} from './cloudtrail-signals.js';
import { type KeyHistory, keysHeldAt } from './held-keys.js';
import { buildIncident, shortPrincipal } from './incident-builder.js';
import { IncidentGroup, type Observation } from './incident-group.js';
import { KeyTracker } from './key-tracker.js';
import { type RanOutSession, SessionTracker } from './session-tracker.js';

/**
 * The incident engine: CloudTrail records and workload log lines stream in one at a time, are
 * folded into bounded groups (one per kind and grouping key), and `finish()` turns the groups
 * that reach their minimum evidence into incidents, joined with the IAM inventory.
 *
 * Window rule: evidence counts only inside the window. A few records before it are still read
 * for context, never as evidence: key lifecycle calls (any time, to know a key was deleted or
 * deactivated), uses of a long-term key up to `revokedAfterUseWindow` before the window (its
 * last use before a revocation), and STS issuances up to {@link SESSION_LOOKBACK_MS} before the
 * window (to name the role behind an ASIA key still valid in the window). They are counted in
 * `outsideWindow` like every other record outside it.
 *
 * Grouping keys (part of the incident id, so none depends on the window):
 * - revoked-key-in-use, invalid-credentials with a long-term key: the key id;
 * - expired/invalid/no-credentials, clock-skew from logs: the log group;
 *   from CloudTrail: the principal (the role for assumed-role sessions);
 * - expired-credentials inferred from CloudTrail alone: the caller and the role it assumes
 *   (unless its key is in an expired-credentials group found another way: it joins that one);
 * - access-denied: the principal (the role for assumed-role sessions, whose names change);
 * - console-login-failure: the principal, or the source IP for unknown user names;
 * - root-activity: the root access key, or `console` for everything else root did;
 * - anonymous-denied: the bucket (the source IP when the bucket is not named);
 * - key-quarantined: the user.
 */
export interface IncidentCorrelator {
  /**
   * One `Records[]` item, parsed CloudTrailEvent object, or event made by
   * `normalizeCloudTrailRecord` (taken as it is); anything malformed is counted, never thrown.
   */
  addCloudTrailRecord(raw: unknown): void;
  /** One workload log line; lines without a readable time or a known failure are counted. */
  addLogEntry(entry: LogEntry): void;
  /**
   * What `finish()` will read from the inventory, asked after the last record and before
   * `finish()`: an audit that did not list every key (live, `AuditOptions.keyIds`) looks these
   * up and passes the inventory with them to `finish()`. Nothing else in the inventory's key ids
   * changes an incident (the audit's owners aside, which it looks up itself).
   */
  keyLookups(): KeyLookups;
  /**
   * Who the trail shows holding a long-term key: the user a lifecycle call names, else the
   * principal (ARN) that last used it; null when the trail does not tell. A hint to look the
   * key up with, never evidence.
   */
  keyHolderHint(accessKeyId: string): string | null;
  /**
   * The incidents that reached their minimum evidence, sorted by id, `owner` still null.
   * Meant to be called once after the last record; later calls return the same array.
   *
   * @param inventory the inventory to join with instead of the one given at creation (the same
   *   principals, with the keys of {@link keyLookups} resolved); ignored on later calls.
   */
  finish(inventory?: Inventory): Incident[];
  stats(): CorrelatorStats;
}

/** The long-term keys and the users whose inventory records `finish()` reads. */
export interface KeyLookups {
  /**
   * AKIA ids whose record (user, status, last use) decides an incident: keys that failed to
   * authenticate, and keys deactivated in the window. Deleted keys are left out: a deleted key
   * is in no listing. Sorted.
   */
  readonly accessKeyIds: readonly string[];
  /** Users whose keys `finish()` reads: the quarantined ones (which keys they held). Sorted. */
  readonly userNames: readonly string[];
}

export interface CorrelatorStats {
  /** Records offered to `addCloudTrailRecord`. */
  cloudTrailRecords: number;
  /** Records that were not readable CloudTrail records (no event name or time, not an object). */
  cloudTrailIgnored: number;
  /** Entries offered to `addLogEntry`. */
  logLines: number;
  /** Lines without a readable time or without a credential failure we recognise. */
  logLinesIgnored: number;
  /** Records and lines outside the window (some were still read for context; see above). */
  outsideWindow: number;
  /** Groups not started because {@link MAX_GROUPS} was reached; their evidence was dropped. */
  groupsDropped: number;
  /** Entries the session and key trackers dropped to stay within their bounds. */
  trackerEntriesDropped: number;
}

export interface CorrelatorOptions {
  readonly inventory: Inventory;
  readonly config: AuditConfig;
  readonly window: TimeWindow;
  readonly accountId: string | null;
}

/** Incident groups held at most; a flood of distinct callers cannot exhaust memory. */
export const MAX_GROUPS = 10_000;
/** Longest STS session (GetSessionToken, 36 h): issuances older than this cannot matter. */
export const SESSION_LOOKBACK_MS = 36 * 3_600_000;
/** Quarantine times remembered per user (the earliest); AWS attaches the policy once or twice. */
export const MAX_QUARANTINES_PER_USER = 20;

const KIND_OF_FAILURE = {
  expired: 'expired-credentials',
  invalid: 'invalid-credentials',
  'no-credentials': 'no-credentials',
  'clock-skew': 'clock-skew',
} as const satisfies Record<LogLineClassification['failure'], IncidentKind>;

/**
 * Creates an empty correlator for one account and one window.
 *
 * @example
 * const correlator = createIncidentCorrelator({ inventory, config, window, accountId: '123456789012' });
 * for (const record of records) correlator.addCloudTrailRecord(record);
 * const incidents = correlator.finish();
 */
export function createIncidentCorrelator(options: CorrelatorOptions): IncidentCorrelator {
  return new Correlator(options);
}

class Correlator implements IncidentCorrelator {
  readonly #options: CorrelatorOptions;
  readonly #start: number;
  readonly #end: number;
  readonly #revokedAfterUseMs: number;
  readonly #groups = new Map<string, IncidentGroup>();
  readonly #keys = new KeyTracker();
  readonly #sessions = new SessionTracker();
  /** Replaced once by `finish(inventory)`, when the audit resolved keys after the records. */
  #inventory: Inventory;
  #principalsByName: ReadonlyMap<string, PrincipalRecord>;
  /** When each quarantined user got the policy: which keys it held is decided at the end. */
  readonly #quarantinedAt = new Map<string, Date[]>();
  #finished: Incident[] | null = null;
  readonly #stats: CorrelatorStats = {
    cloudTrailRecords: 0,
    cloudTrailIgnored: 0,
    logLines: 0,
    logLinesIgnored: 0,
    outsideWindow: 0,
    groupsDropped: 0,
    trackerEntriesDropped: 0,
  };

  public constructor(options: CorrelatorOptions) {
    this.#options = options;
    this.#start = options.window.start.getTime();
    this.#end = options.window.end.getTime();
    this.#revokedAfterUseMs = parseDurationMs(options.config.incidents.revokedAfterUseWindow);
    this.#inventory = options.inventory;
    this.#principalsByName = new Map(options.inventory.principals.map((p) => [p.name, p]));
  }

  public addCloudTrailRecord(raw: unknown): void {
    this.#stats.cloudTrailRecords += 1;
    try {
      const event = normalizeCloudTrailRecord(raw);
      if (!event) {
        this.#stats.cloudTrailIgnored += 1;
        return;
      }
      this.#trackState(event);
      const time = event.eventTimeMs;
      if (time < this.#start || time > this.#end) {
        this.#stats.outsideWindow += 1;
        return;
      }
      this.#collectEvidence(event);
    } catch {
      // A record shaped in a way no rule foresaw must not end the audit.
      this.#stats.cloudTrailIgnored += 1;
    }
  }

  public addLogEntry(entry: LogEntry): void {
    this.#stats.logLines += 1;
    try {
      const message: unknown = entry?.message;
      const time = parseAwsTime(entry?.timestamp);
      if (typeof message !== 'string' || !time) {
        this.#stats.logLinesIgnored += 1;
        return;
      }
      if (time.getTime() < this.#start || time.getTime() > this.#end) {
        this.#stats.outsideWindow += 1;
        return;
      }
      const classification = classifyLogLine(message);
      if (!classification) {
        this.#stats.logLinesIgnored += 1;
        return;
      }
      const logGroup = logGroupName(entry.logGroup);
      this.#authFailure(classification, { time, evidence: 'logs', logGroup });
    } catch {
      this.#stats.logLinesIgnored += 1;
    }
  }

  public stats(): CorrelatorStats {
    return {
      ...this.#stats,
      trackerEntriesDropped: this.#keys.dropped + this.#sessions.dropped,
    };
  }

  public keyLookups(): KeyLookups {
    const ids = new Set<string>();
    for (const group of this.#groups.values()) {
      if (group.kind === 'invalid-credentials' && group.key.startsWith('key:AKIA'))
        ids.add(group.key.slice('key:'.length));
    }
    for (const revocation of this.#keys.revocations()) {
      const time = revocation.time.getTime();
      if (time >= this.#start && time <= this.#end) ids.add(revocation.accessKeyId);
    }
    const userNames: string[] = [];
    for (const userName of this.#quarantinedAt.keys()) {
      if (this.#groups.has(mapKeyOf('key-quarantined', `user:${userName}`)))
        userNames.push(userName);
    }
    return {
      accessKeyIds: [...ids]
        .filter((id) => this.#keys.currentRevocation(id)?.kind !== 'Deleted')
        .sort(),
      userNames: userNames.sort(),
    };
  }

  public keyHolderHint(accessKeyId: string): string | null {
    const named =
      this.#keys.creation(accessKeyId)?.userName ??
      this.#keys.revocationsOf(accessKeyId).find((r) => r.userName !== null)?.userName;
    return named ?? this.#keys.lastUse(accessKeyId)?.principal ?? null;
  }

  public finish(inventory?: Inventory): Incident[] {
    // Resolution moves and adds evidence; doing it twice would count it twice.
    if (this.#finished) return this.#finished;
    if (inventory) {
      this.#inventory = inventory;
      this.#principalsByName = new Map(inventory.principals.map((p) => [p.name, p]));
    }
    this.#resolveKeyFailures();
    this.#findRevokedSoonAfterUse();
    this.#nameQuarantinedKeys();
    this.#findSessionsThatRanOut();
    this.#nameTemporaryKeys();
    const { config, accountId } = this.#options;
    const disabled = new Set(config.incidents.disabled);
    const incidents: Incident[] = [];
    for (const group of this.#groups.values()) {
      if (disabled.has(group.kind)) continue;
      // A session that ran out is one inferred fact, not a count of failures: it stands on its
      // own, and lifts the group of failures it joined above their minimum too.
      if (!group.details.ranOut && group.count < minEventsFor(config, group.kind)) continue;
      incidents.push(buildIncident(group, accountId));
    }
    this.#finished = incidents.sort((a, b) => compareText(a.id, b.id));
    return this.#finished;
  }

  /** Context every record contributes, in the window or not: key lifecycle, key uses, sessions. */
  #trackState(event: CloudTrailEvent): void {
    const time = event.eventTimeMs;
    if (time > this.#end) return;
    const keyId = event.identity.accessKeyId;
    if (keyId?.startsWith('AKIA')) {
      if (
        time >= this.#start - this.#revokedAfterUseMs &&
        event.eventName !== 'ConsoleLogin' &&
        !revokesItself(event, keyId)
      ) {
        this.#keys.noteUse(keyId, time, principalOf(event.identity), event);
      }
    } else if (keyId?.startsWith('ASIA') && time >= this.#start - SESSION_LOOKBACK_MS) {
      this.#sessions.noteUse(keyId, time, principalOf(event.identity), event);
    }
    if (event.errorCode) return;
    if (event.eventSource === 'iam.amazonaws.com') this.#trackLifecycle(event);
    this.#trackIssuance(event);
  }

  #trackLifecycle(event: CloudTrailEvent): void {
    const params = event.requestParameters;
    if (event.eventName === 'CreateAccessKey') {
      this.#trackCreation(event);
      return;
    }
    const keyId = params?.['accessKeyId'];
    if (typeof keyId !== 'string' || keyId.length === 0) return;
    const userName = lifecycleUser(event, params?.['userName']);
    const actor = principalOf(event.identity);
    if (event.eventName === 'DeleteAccessKey') {
      this.#keys.addRevocation({
        accessKeyId: keyId,
        kind: 'Deleted',
        time: new Date(event.eventTimeMs),
        userName,
        actor,
      });
    } else if (event.eventName === 'UpdateAccessKey') {
      const status = params?.['status'];
      if (status === 'Inactive') {
        this.#keys.addRevocation({
          accessKeyId: keyId,
          kind: 'Inactive',
          time: new Date(event.eventTimeMs),
          userName,
          actor,
        });
      } else if (status === 'Active') {
        this.#keys.addReactivation(keyId, new Date(event.eventTimeMs));
      }
    }
  }

  /** The new key is only in the response (`responseElements.accessKey`), never in the request. */
  #trackCreation(event: CloudTrailEvent): void {
    const accessKey = event.responseElements?.['accessKey'];
    if (accessKey === null || typeof accessKey !== 'object' || Array.isArray(accessKey)) return;
    const fields = accessKey as Record<string, unknown>;
    const keyId = fields['accessKeyId'];
    if (typeof keyId !== 'string' || keyId.length === 0) return;
    const owner = fields['userName'];
    this.#keys.addCreation({
      accessKeyId: keyId,
      time: new Date(event.eventTimeMs),
      userName:
        typeof owner === 'string' && owner.length > 0
          ? owner
          : lifecycleUser(event, event.requestParameters?.['userName']),
    });
  }

  #trackIssuance(event: CloudTrailEvent): void {
    const issued = event.issuedCredentials;
    if (!issued || event.eventSource !== 'sts.amazonaws.com') return;
    // Sessions AWS services take for themselves (Lambda, ECS, EC2) are refreshed by the service.
    if (event.identity.type === 'AWSService' || event.identity.invokedBy) return;
    const issuedAt = event.eventTimeMs;
    if (issuedAt < this.#start - SESSION_LOOKBACK_MS) return;
    if (issued.expiration && issued.expiration.getTime() < this.#start) return;
    const caller = principalOf(event.identity);
    this.#sessions.addIssuance({
      accessKeyId: issued.accessKeyId,
      eventName: event.eventName,
      roleArn: issued.roleArn,
      sessionName: issued.sessionName,
      caller,
      issuedAt: new Date(issuedAt),
      expiration: issued.expiration,
      chainKey: `${caller ?? 'unknown'}\u0000${issued.roleArn ?? event.eventName}`,
      sourceIp: event.sourceIp,
      userAgent: event.userAgent,
    });
  }

  /** Evidence from one record inside the window. */
  #collectEvidence(event: CloudTrailEvent): void {
    const quarantined = quarantinedUser(event);
    if (quarantined) this.#quarantine(quarantined, event);

    if (event.eventName === 'ConsoleLogin') {
      if (isConsoleLoginFailure(event)) {
        this.#consoleFailure(event, observationOf(event));
        return;
      }
      if (event.consoleLogin && !/^Success$/i.test(event.consoleLogin)) return;
    }

    // Most records are successful calls that are evidence of nothing: `base` and `keyIds` are
    // only made past the checks that let those go.
    if (event.identity.type === 'Root' && !isMadeByAwsService(event)) {
      const base = observationOf(event);
      const keyIds = keyIdsOf(event);
      const rootKey = keyIds.find((id) => id.startsWith('AKIA'));
      const group = this.#group('root-activity', rootKey ? `key:${rootKey}` : 'console');
      group?.observe({ ...base, accessKeyIds: keyIds, errorCode: event.errorCode });
      if (group && rootKey) group.details.rootWithKey = true;
    }

    if (isAnonymous(event)) {
      if (isAccessDeniedCode(event.errorCode)) {
        const bucket = event.requestParameters?.['bucketName'];
        const subject =
          typeof bucket === 'string' && bucket.length > 0
            ? `bucket:${bucket}`
            : `ip:${event.sourceIp ?? 'unknown'}`;
        const group = this.#group('anonymous-denied', subject);
        group?.observe({
          ...observationOf(event),
          principal: 'ANONYMOUS_PRINCIPAL',
          errorCode: event.errorCode,
        });
        if (group)
          group.details.subject = subject.replace(/^bucket:/, 'bucket ').replace(/^ip:/, '');
      }
      return;
    }

    if (!event.errorCode) return;
    const base = observationOf(event);
    const keyIds = keyIdsOf(event);
    if (isAccessDeniedCode(event.errorCode)) {
      // Sessions of one role get a new name each time; the role is the principal that lacks the permission.
      const principal =
        (event.identity.type === 'AssumedRole' ? event.identity.sessionIssuerArn : null) ??
        base.principal ??
        event.identity.accessKeyId ??
        'unknown';
      const denied = deniedRequest(event);
      const group = this.#group('access-denied', `principal:${principal}`);
      group?.observe({
        ...base,
        accessKeyIds: keyIds,
        errorCode: event.errorCode,
        action: denied.action,
        resource: denied.resource,
      });
      if (group) group.details.subject = shortPrincipal(principal) ?? principal;
      return;
    }
    // CloudTrail normally never carries authentication failures; when it does, read it like a log line.
    const classification = classifyLogLine(
      `${event.errorCode}: ${event.errorMessage ?? ''} (${event.eventName})`,
    );
    if (classification) {
      this.#authFailure(
        {
          ...classification,
          accessKeyIds: [...new Set([...classification.accessKeyIds, ...keyIds])],
        },
        { ...base, logGroup: null },
        event.identity.type === 'AssumedRole' ? event.identity.sessionIssuerArn : null,
      );
    }
  }

  /**
   * The keys are named in `finish()`: which ones the user held at this instant depends on
   * lifecycle records (a CreateAccessKey, a DeleteAccessKey) that may arrive later.
   */
  #quarantine(userName: string, event: CloudTrailEvent): void {
    const principal = this.#principalsByName.get(userName);
    const group = this.#group('key-quarantined', `user:${userName}`);
    if (!group) return;
    group.observe({
      time: new Date(event.eventTimeMs),
      evidence: 'cloudtrail',
      principal: principal?.arn ?? userName,
      sourceIp: event.sourceIp,
      userAgent: event.userAgent,
      eventSource: event.eventSource,
    });
    group.details.quarantinedUser = userName;
    group.details.userArn = principal?.arn ?? null;
    const times = this.#quarantinedAt.get(userName) ?? [];
    if (!times.some((t) => t.getTime() === event.eventTimeMs)) {
      times.push(new Date(event.eventTimeMs));
      // Keep the earliest, so which ones are kept does not depend on the order of arrival.
      times.sort((a, b) => a.getTime() - b.getTime());
      times.splice(MAX_QUARANTINES_PER_USER);
    }
    this.#quarantinedAt.set(userName, times);
  }

  #consoleFailure(event: CloudTrailEvent, base: Omit<Observation, 'accessKeyIds'>): void {
    const hidden = event.identity.userName === HIDDEN_USER;
    const root = event.identity.type === 'Root';
    const principal = root
      ? principalOf(event.identity)
      : (event.identity.arn ?? event.identity.userName);
    const key = hidden
      ? `ip:${event.sourceIp ?? 'unknown'}`
      : `principal:${principal ?? event.identity.principalId ?? 'unknown'}`;
    const group = this.#group('console-login-failure', key);
    if (!group) return;
    group.observe({
      ...base,
      principal: hidden ? HIDDEN_USER : principal,
      errorCode: event.errorMessage ?? 'Failure',
    });
    if (hidden) {
      group.details.probing = true;
      group.details.subject = event.sourceIp ?? 'an unknown address';
    } else {
      group.details.subject = event.identity.userName ?? principal ?? 'an unknown user';
    }
    if (root) group.details.rootLogin = true;
  }

  /** One authentication failure (log line, or the rare CloudTrail record that carries one). */
  #authFailure(
    classification: LogLineClassification,
    base: Omit<Observation, 'errorCode' | 'accessKeyIds' | 'hints'>,
    /** Groups the sessions of one role together (each session has its own name). */
    groupPrincipal: string | null = null,
  ): void {
    const keyIds = classification.accessKeyIds;
    const hints: CredentialHint[] = [...classification.hints];
    const longTermKey = keyIds.find((id) => id.startsWith('AKIA'));
    if (
      classification.failure === 'invalid' &&
      !longTermKey &&
      keyIds.some((id) => id.startsWith('ASIA'))
    ) {
      hints.push('missing-session-token');
    }
    const kind = KIND_OF_FAILURE[classification.failure];
    let key: string;
    if (kind === 'invalid-credentials' && longTermKey) key = `key:${longTermKey}`;
    else if (base.logGroup) key = `log:${base.logGroup}`;
    else if (groupPrincipal ?? base.principal)
      key = `principal:${groupPrincipal ?? base.principal}`;
    else if (keyIds[0]) key = `key:${keyIds[0]}`;
    else key = 'unknown';
    this.#group(kind, key)?.observe({
      ...base,
      errorCode: classification.errorCode,
      accessKeyIds: keyIds,
      hints,
    });
  }

  /**
   * Failures with a long-term key are `invalid-credentials` until the key is looked up: a key
   * that is inactive or deleted here (and was so when it failed) makes it `revoked-key-in-use`.
   */
  #resolveKeyFailures(): void {
    for (const [mapKey, group] of [...this.#groups]) {
      if (group.kind !== 'invalid-credentials' || !group.key.startsWith('key:AKIA')) continue;
      const keyId = group.key.slice('key:'.length);
      const record = this.#inventory.keysById.get(keyId);
      const revocation = this.#keys.currentRevocation(keyId);
      group.details.keyUser = record?.userName ?? revocation?.userName ?? null;
      const revokedThen = revocation
        ? (group.lastSeen ?? new Date(0)) >= revocation.time
        : record?.status === 'Inactive';
      if (!revokedThen) {
        // Failures before a revocation happened while the key was still active.
        group.details.keyStatus = revocation ? 'Active' : (record?.status ?? null);
        if (record) {
          group.evidence.add('inventory');
          this.#addOwner(group, record.userName);
        }
        continue;
      }
      this.#groups.delete(mapKey);
      const revoked = this.#group('revoked-key-in-use', group.key);
      if (!revoked) continue;
      revoked.absorb(group);
      if (record) revoked.evidence.add('inventory');
      if (revocation) revoked.evidence.add('cloudtrail');
      revoked.details.keyStatus = revocation?.kind === 'Deleted' ? 'Deleted' : 'Inactive';
      revoked.details.keyUser = group.details.keyUser;
      this.#addOwner(revoked, group.details.keyUser ?? null);
    }
  }

  /** A key deactivated or deleted within `revokedAfterUseWindow` of its last use. */
  #findRevokedSoonAfterUse(): void {
    for (const revocation of this.#keys.revocations()) {
      const time = revocation.time.getTime();
      if (time < this.#start || time > this.#end) continue;
      if (this.#keys.currentRevocation(revocation.accessKeyId) !== revocation) continue;
      const record = this.#inventory.keysById.get(revocation.accessKeyId);
      const trailUse = this.#keys.lastUse(revocation.accessKeyId);
      const reportUse = record?.lastUsed.state === 'date' ? record.lastUsed.value : null;
      const candidates = [trailUse?.time, reportUse ?? undefined].filter(
        (d): d is Date => d instanceof Date,
      );
      if (candidates.length === 0) continue;
      const lastUse = Math.max(...candidates.map((d) => d.getTime()));
      const gap = Math.max(0, time - lastUse);
      if (gap > this.#revokedAfterUseMs) continue;
      const group = this.#group('revoked-key-in-use', `key:${revocation.accessKeyId}`);
      if (!group) continue;
      const userName = record?.userName ?? revocation.userName;
      group.observe({
        time: revocation.time,
        evidence: 'cloudtrail',
        accessKeyIds: [revocation.accessKeyId],
        sourceIp: trailUse?.sourceIp ?? null,
        userAgent: trailUse?.userAgent ?? null,
        eventSource: 'iam.amazonaws.com',
      });
      if (reportUse && (!trailUse || reportUse >= trailUse.time)) group.evidence.add('inventory');
      this.#addOwner(group, userName);
      group.details.revokedHoursAfterUse = gap / 3_600_000;
      group.details.keyUser = userName;
      group.details.keyStatus = revocation.kind === 'Deleted' ? 'Deleted' : 'Inactive';
    }
  }

  /**
   * The keys the quarantined user held when the policy was attached (not a replacement made
   * afterwards), from the inventory and the key lifecycle in the trail.
   */
  #nameQuarantinedKeys(): void {
    const lifecycleKeys = this.#keys.lifecycleKeysOf(new Set(this.#quarantinedAt.keys()));
    for (const [userName, times] of this.#quarantinedAt) {
      const group = this.#groups.get(mapKeyOf('key-quarantined', `user:${userName}`));
      if (!group) continue;
      const principal = this.#principalsByName.get(userName);
      const histories = new Map<string, KeyHistory>();
      for (const record of principal?.accessKeys ?? []) {
        if (record.id)
          histories.set(record.id, this.#keyHistory(record.id, record.createdAt, true));
      }
      for (const keyId of lifecycleKeys.get(userName) ?? []) {
        if (!histories.has(keyId)) histories.set(keyId, this.#keyHistory(keyId, null, false));
      }
      const held = keysHeldAt([...histories.values()], times);
      for (const keyId of held) group.accessKeyIds.add(keyId);
      if (held.some((keyId) => histories.get(keyId)?.inInventory)) group.evidence.add('inventory');
      const latest = times[times.length - 1];
      // Slots of the credential report whose key id is unknown (no ListAccessKeys export).
      group.details.unidentifiedKeys = (principal?.accessKeys ?? []).filter(
        (record) => !record.id && record.createdAt && latest && record.createdAt <= latest,
      ).length;
    }
  }

  #keyHistory(keyId: string, createdAt: Date | null, inInventory: boolean): KeyHistory {
    const revocations = this.#keys.revocationsOf(keyId);
    const deletions = revocations
      .filter((r) => r.kind === 'Deleted')
      .map((r) => r.time.getTime())
      .sort((a, b) => a - b);
    const reactivation = this.#keys.reactivation(keyId);
    return {
      accessKeyId: keyId,
      createdAt: createdAt ?? this.#keys.creation(keyId)?.time ?? null,
      deletedAt: deletions[0] === undefined ? null : new Date(deletions[0]),
      inInventory,
      seenAt: [
        ...revocations.filter((r) => r.kind === 'Inactive').map((r) => r.time),
        ...(reactivation ? [reactivation] : []),
      ],
    };
  }

  /**
   * Sessions used up to their expiration with no new session for the same caller in time.
   * When the session's key already failed in an expired-credentials group found another way
   * (its log group, or a CloudTrail record carrying ExpiredToken), it is the same incident seen
   * twice: the session joins that group instead of standing alone.
   */
  #findSessionsThatRanOut(): void {
    const knownExpiries = this.#expiredGroupsByKey();
    const ranOut = this.#sessions
      .ranOut(this.#options.window.start, this.#options.window.end)
      .sort(byExpiration);
    for (const { session, lastUse } of ranOut) {
      if (!session.expiration) continue;
      const known = knownExpiries.get(session.accessKeyId);
      const group = known ?? this.#group('expired-credentials', `chain:${session.chainKey}`);
      if (!group) continue;
      group.observe({
        time: session.expiration,
        evidence: 'cloudtrail',
        accessKeyIds: [session.accessKeyId],
        principal: lastUse.principal,
        sourceIp: lastUse.sourceIp,
        userAgent: lastUse.userAgent,
        eventSource: lastUse.eventSource,
        errorCode: 'SessionExpiredInUse',
      });
      group.principals.add(session.caller);
      group.noteRuntime(runtimeFromPrincipal(session.caller));
      group.details.ranOut = true;
      if (known) continue;
      group.details.inferred = true;
      group.details.issuance = session;
    }
  }

  /**
   * For each temporary key, the expired-credentials group it failed in, found before any
   * session is inferred; a key in several: log-based first, then the smallest grouping key,
   * so the choice does not depend on the order records arrived in.
   */
  #expiredGroupsByKey(): Map<string, IncidentGroup> {
    const byKey = new Map<string, IncidentGroup>();
    for (const group of this.#groups.values()) {
      if (group.kind !== 'expired-credentials' || group.details.inferred) continue;
      for (const keyId of group.accessKeyIds.sorted()) {
        if (!keyId.startsWith('ASIA')) continue;
        const current = byKey.get(keyId);
        if (!current || preferredExpiryGroup(group, current)) byKey.set(keyId, group);
      }
    }
    return byKey;
  }

  /** Temporary keys in failures are tied to the STS call that issued them: role, session, caller. */
  #nameTemporaryKeys(): void {
    for (const group of this.#groups.values()) {
      if (group.kind !== 'expired-credentials' && group.kind !== 'invalid-credentials') continue;
      for (const keyId of group.accessKeyIds.sorted()) {
        if (!keyId.startsWith('ASIA')) continue;
        const session = this.#sessions.session(keyId);
        if (!session) continue;
        group.principals.add(session.roleArn);
        group.principals.add(sessionArn(session.roleArn, session.sessionName));
        group.principals.add(session.caller);
        group.noteRuntime(sessionRuntime(session.roleArn, session.sessionName));
        group.evidence.add('cloudtrail');
        group.details.issuance ??= session;
      }
    }
  }

  /** The key's user as principal: its ARN when the inventory knows it, else its name. */
  #addOwner(group: IncidentGroup, userName: string | null): void {
    if (!userName) return;
    const arn = this.#principalsByName.get(userName)?.arn ?? null;
    group.principals.add(arn ?? userName);
    group.details.userArn = arn;
  }

  #group(kind: IncidentKind, key: string): IncidentGroup | null {
    const mapKey = mapKeyOf(kind, key);
    const existing = this.#groups.get(mapKey);
    if (existing) return existing;
    if (this.#groups.size >= MAX_GROUPS) {
      this.#stats.groupsDropped += 1;
      return null;
    }
    const group = new IncidentGroup(kind, key);
    this.#groups.set(mapKey, group);
    return group;
  }
}

/** What every observation of one CloudTrail record starts from. */
function observationOf(event: CloudTrailEvent): Omit<Observation, 'accessKeyIds'> {
  return {
    time: new Date(event.eventTimeMs),
    evidence: 'cloudtrail',
    principal: principalOf(event.identity),
    sourceIp: event.sourceIp,
    userAgent: event.userAgent,
    eventSource: event.eventSource,
  };
}

function keyIdsOf(event: CloudTrailEvent): string[] {
  return event.identity.accessKeyId ? [event.identity.accessKeyId] : [];
}

/** The user a key lifecycle call is about: `userName` in the request, else the calling IAM user. */
function lifecycleUser(event: CloudTrailEvent, userParam: unknown): string | null {
  if (typeof userParam === 'string' && userParam.length > 0) return userParam;
  return event.identity.type === 'IAMUser' ? event.identity.userName : null;
}

/** Whether `candidate` should take a key's session rather than `current`. */
function preferredExpiryGroup(candidate: IncidentGroup, current: IncidentGroup): boolean {
  const fromLogs = candidate.evidence.has('logs');
  if (fromLogs !== current.evidence.has('logs')) return fromLogs;
  return candidate.key < current.key;
}

/** Sessions by expiration, then key: the last of a chain is the one its incident names. */
function byExpiration(a: RanOutSession, b: RanOutSession): number {
  const gap = (a.session.expiration?.getTime() ?? 0) - (b.session.expiration?.getTime() ?? 0);
  if (gap !== 0) return gap;
  return a.session.accessKeyId < b.session.accessKeyId ? -1 : 1;
}

function mapKeyOf(kind: IncidentKind, key: string): string {
  return `${kind}\u0000${key}`;
}

/** A user deactivating or deleting the very key it signs the call with is not a workload using it. */
function revokesItself(event: CloudTrailEvent, keyId: string): boolean {
  if (event.eventName !== 'UpdateAccessKey' && event.eventName !== 'DeleteAccessKey') return false;
  return event.requestParameters?.['accessKeyId'] === keyId;
}

/**
 * The log group as people name it: Logs Insights' `@log` is `<account>:<group>`, the account
 * is dropped. Redacted like everything else taken from logs.
 */
function logGroupName(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const name = raw.replace(/^\d{12}:/, '').trim();
  return name.length > 0 ? redactSecrets(name).slice(0, 512) : null;
}

/** `arn:aws:iam::1:role/R` + `S` → `arn:aws:sts::1:assumed-role/R/S`, the ARN the session signs as. */
function sessionArn(roleArn: string | null, sessionName: string | null): string | null {
  if (!roleArn || !sessionName) return null;
  const match = /^arn:([^:]+):iam::(\d*):role\/(?:.*\/)?([^/]+)$/.exec(roleArn);
  return match ? `arn:${match[1]}:sts::${match[2]}:assumed-role/${match[3]}/${sessionName}` : null;
}

/** EC2 instance sessions are named after the instance; SSO roles are AWSReservedSSO_*. */
function sessionRuntime(
  roleArn: string | null,
  sessionName: string | null,
): ReturnType<typeof runtimeFromPrincipal> {
  return runtimeFromPrincipal(sessionArn(roleArn, sessionName ?? 'session'));
}
