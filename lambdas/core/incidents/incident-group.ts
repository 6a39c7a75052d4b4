import type { CredentialHint } from '../log-line.js';
import type { SessionIssuance } from '../remediation/incident-advice.js';
import type { IncidentKind } from '../report.js';
import {
  type RuntimeHint,
  runtimeFromLogGroup,
  runtimeFromPrincipal,
  runtimeFromUserAgent,
  type UserAgentFamily,
  userAgentFamily,
} from '../user-agent.js';
import { BoundedCounter, BoundedSet } from './bounded-set.js';

/** Distinct values kept per list of an incident (IPs, user agents, …); the rest is counted. */
export const MAX_VALUES_PER_LIST = 50;

/** Distinct error codes kept per incident; more are added up under `Other`. */
export const MAX_ERROR_CODES = 20;

export type EvidenceSource = 'cloudtrail' | 'logs' | 'inventory';

/** One failed request, log line or lifecycle event, reduced to what an incident aggregates. */
export interface Observation {
  readonly time: Date;
  readonly evidence: EvidenceSource;
  readonly errorCode?: string | null;
  readonly accessKeyIds?: readonly string[];
  readonly principal?: string | null;
  readonly sourceIp?: string | null;
  readonly userAgent?: string | null;
  readonly eventSource?: string | null;
  readonly logGroup?: string | null;
  readonly hints?: readonly CredentialHint[];
  /** For access-denied: `service:Action` and the resource it was denied on. */
  readonly action?: string | null;
  readonly resource?: string | null;
  /** How many events this observation stands for (1 unless stated). */
  readonly weight?: number;
}

/** Facts about one incident that are not lists: what the title and the advice are built from. */
export interface GroupDetails {
  /** Key status in this account, for key-based groups. */
  keyStatus?: 'Active' | 'Inactive' | 'Deleted' | null;
  keyUser?: string | null;
  /** ARN of the key's user or of the quarantined user, when the inventory knows the user. */
  userArn?: string | null;
  /** Hours between last use and revocation (revoked-key-in-use found from the lifecycle). */
  revokedHoursAfterUse?: number;
  /** The STS issuance behind a temporary key of the group. */
  issuance?: SessionIssuance;
  /** The group was inferred from CloudTrail alone (a session that ran out while in use). */
  inferred?: boolean;
  /** The group holds a session that ran out while in use (alone, or joined to its failures). */
  ranOut?: boolean;
  quarantinedUser?: string;
  /** Keys the quarantined user held then whose ids are unknown here (no ListAccessKeys). */
  unidentifiedKeys?: number;
  probing?: boolean;
  rootLogin?: boolean;
  rootWithKey?: boolean;
  /** What the title names: a log group, a principal, a bucket, an IP. */
  subject?: string;
}

/**
 * Everything one incident has seen so far: counts, first/last time and bounded sets of the
 * values that identify the caller. Never holds the records themselves.
 */
export class IncidentGroup {
  public count = 0;
  public firstSeen: Date | null = null;
  public lastSeen: Date | null = null;
  public readonly errorCodes = new BoundedCounter(MAX_ERROR_CODES);
  public readonly accessKeyIds = new BoundedSet(MAX_VALUES_PER_LIST);
  public readonly principals = new BoundedSet(MAX_VALUES_PER_LIST);
  public readonly sourceIps = new BoundedSet(MAX_VALUES_PER_LIST);
  public readonly userAgents = new BoundedSet(MAX_VALUES_PER_LIST);
  public readonly eventSources = new BoundedSet(MAX_VALUES_PER_LIST);
  public readonly logGroups = new BoundedSet(MAX_VALUES_PER_LIST);
  public readonly actions = new BoundedSet(MAX_VALUES_PER_LIST);
  public readonly resources = new BoundedSet(MAX_VALUES_PER_LIST);
  public readonly evidence = new Set<EvidenceSource>();
  public readonly hints = new Set<CredentialHint>();
  public readonly runtimes = new Set<RuntimeHint>();
  public readonly families = new Set<UserAgentFamily>();
  public details: GroupDetails = {};

  public constructor(
    public readonly kind: IncidentKind,
    /** Window-independent grouping key, part of the incident id. */
    public readonly key: string,
  ) {}

  public observe(observation: Observation): void {
    const weight = observation.weight ?? 1;
    this.count += weight;
    this.#seenAt(observation.time);
    this.evidence.add(observation.evidence);
    if (observation.errorCode) this.errorCodes.add(observation.errorCode, weight);
    for (const id of observation.accessKeyIds ?? []) this.accessKeyIds.add(id);
    this.sourceIps.add(observation.sourceIp);
    this.eventSources.add(observation.eventSource);
    this.actions.add(observation.action);
    this.resources.add(observation.resource);
    for (const hint of observation.hints ?? []) this.hints.add(hint);
    // Hints are read once per distinct value: a million lines from one caller cost one lookup.
    if (this.principals.add(observation.principal)) {
      this.#noteRuntime(runtimeFromPrincipal(observation.principal));
    }
    if (this.logGroups.add(observation.logGroup)) {
      this.#noteRuntime(runtimeFromLogGroup(observation.logGroup));
    }
    if (this.userAgents.add(observation.userAgent) && observation.userAgent) {
      this.#noteRuntime(runtimeFromUserAgent(observation.userAgent));
      this.families.add(userAgentFamily(observation.userAgent));
    }
  }

  /** Adds what another group saw (same incident found through another path). */
  public absorb(other: IncidentGroup): void {
    this.count += other.count;
    if (other.firstSeen) this.#seenAt(other.firstSeen);
    if (other.lastSeen) this.#seenAt(other.lastSeen);
    for (const [code, n] of Object.entries(other.errorCodes.toRecord()))
      this.errorCodes.add(code, n);
    for (const [target, source] of [
      [this.accessKeyIds, other.accessKeyIds],
      [this.principals, other.principals],
      [this.sourceIps, other.sourceIps],
      [this.userAgents, other.userAgents],
      [this.eventSources, other.eventSources],
      [this.logGroups, other.logGroups],
      [this.actions, other.actions],
      [this.resources, other.resources],
    ] as const) {
      for (const value of source.sorted()) target.add(value);
    }
    for (const value of other.evidence) this.evidence.add(value);
    for (const value of other.hints) this.hints.add(value);
    for (const value of other.runtimes) this.runtimes.add(value);
    for (const value of other.families) this.families.add(value);
    this.details = { ...other.details, ...this.details };
  }

  /** Records a runtime learnt some other way (e.g. from the issuance of a session). */
  public noteRuntime(runtime: RuntimeHint | null): void {
    this.#noteRuntime(runtime);
  }

  #noteRuntime(runtime: RuntimeHint | null): void {
    if (runtime) this.runtimes.add(runtime);
  }

  #seenAt(time: Date): void {
    if (!this.firstSeen || time < this.firstSeen) this.firstSeen = time;
    if (!this.lastSeen || time > this.lastSeen) this.lastSeen = time;
  }
}
