/**
 * The JSON report, schema version 1: a public contract (PRODUCT.md, "The JSON report").
 * Field names here are fixed; fields may be added, never renamed or removed.
 */

/** Severities, worst first. */
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Stable check ids (PRODUCT.md, "Checks"). */
export const CHECK_IDS = [
  'root-access-key',
  'root-mfa-disabled',
  'root-recent-use',
  'key-rotation-due',
  'key-rotation-overdue',
  'key-unused',
  'key-inactive',
  'multiple-active-keys',
  'key-created-with-user',
  'console-user-no-mfa',
  'password-unused',
  'signing-cert-old',
] as const;
export type CheckId = (typeof CHECK_IDS)[number];

/** Stable incident kinds (PRODUCT.md, "Incidents"). */
export const INCIDENT_KINDS = [
  'revoked-key-in-use',
  'invalid-credentials',
  'expired-credentials',
  'no-credentials',
  'clock-skew',
  'access-denied',
  'console-login-failure',
  'root-activity',
  'anonymous-denied',
  'key-quarantined',
] as const;
export type IncidentKind = (typeof INCIDENT_KINDS)[number];

export type SourceState = 'ok' | 'degraded' | 'missing';

/** What one data source gave the audit. */
export interface SourceStatus {
  readonly name: string;
  readonly status: SourceState;
  /** One sentence: what was read, what was skipped and why. */
  readonly detail: string;
  /** Items read (rows, records, log lines), when the source counts them. */
  readonly itemsRead?: number;
  /** Items or files skipped because they were damaged or unreadable. */
  readonly itemsSkipped?: number;
  /** AWS API calls made, for live sources. */
  readonly apiCalls?: number;
}

export interface ReportPrincipal {
  readonly type: 'Root' | 'IAMUser';
  readonly name: string;
  readonly arn: string | null;
}

export interface ReportAccessKey {
  readonly slot: 1 | 2;
  /** Full key id (AKIA…), when an access-keys export or ListAccessKeys gave it. */
  readonly id: string | null;
  /** `AKIA…WXYZ` for messages; `key 1` style label when the id is unknown. */
  readonly maskedId: string;
  readonly status: 'Active' | 'Inactive';
  readonly createdAt: string | null;
  readonly lastUsedAt: string | null;
  readonly lastUsedRegion: string | null;
  readonly lastUsedService: string | null;
  readonly ageDays: number | null;
}

export interface Finding {
  /** Deterministic: same account, check, principal and key give the same id. */
  readonly id: string;
  readonly check: CheckId;
  readonly severity: Severity;
  readonly title: string;
  /** One or two sentences with the facts behind the finding (dates, ages, limits). */
  readonly detail: string;
  readonly principal: ReportPrincipal;
  readonly accessKey: ReportAccessKey | null;
  readonly owner: string | null;
  readonly controls: readonly string[];
  readonly remediation: readonly string[];
}

export interface Incident {
  /** Deterministic: same account, kind and grouping key give the same id. */
  readonly id: string;
  readonly kind: IncidentKind;
  readonly severity: Severity;
  readonly title: string;
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly count: number;
  readonly errorCodes: Readonly<Record<string, number>>;
  readonly accessKeyIds: readonly string[];
  readonly principals: readonly string[];
  readonly sourceIps: readonly string[];
  readonly userAgents: readonly string[];
  readonly eventSources: readonly string[];
  readonly logGroups: readonly string[];
  readonly probableCauses: readonly string[];
  readonly remediation: readonly string[];
  /** Where the evidence came from: `cloudtrail`, `logs` or both. */
  readonly evidence: readonly ('cloudtrail' | 'logs' | 'inventory')[];
  /** Owner of the key or principal involved, when the inventory knows it. */
  readonly owner: string | null;
}

export interface Report {
  readonly schemaVersion: 1;
  readonly generatedAt: string;
  readonly now: string;
  readonly account: { readonly id: string | null; readonly alias: string | null };
  readonly window: { readonly start: string; readonly end: string } | null;
  readonly credentialReport: {
    readonly generatedAt: string | null;
    /** Hours between the credential report's generation and `now`. */
    readonly ageHours: number | null;
    readonly rows: number;
  };
  readonly sources: readonly SourceStatus[];
  readonly summary: Readonly<Record<Severity, number>>;
  readonly findings: readonly Finding[];
  readonly incidents: readonly Incident[];
}
