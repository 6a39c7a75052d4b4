import { parseAwsTime, parseAwsTimeMs } from './aws-time.js';

/**
 * One CloudTrail record reduced to the fields the incident correlator reads. Built from whatever
 * shape the record arrived in; fields CloudTrail left out or left empty are `null`.
 */
export interface CloudTrailEvent {
  /** `eventTime` as epoch milliseconds (a number: read for every record, kept for few). */
  readonly eventTimeMs: number;
  readonly eventSource: string;
  readonly eventName: string;
  readonly eventType: string | null;
  readonly awsRegion: string | null;
  readonly sourceIp: string | null;
  readonly userAgent: string | null;
  readonly errorCode: string | null;
  readonly errorMessage: string | null;
  readonly recipientAccountId: string | null;
  readonly identity: CloudTrailIdentity;
  readonly requestParameters: Readonly<Record<string, unknown>> | null;
  readonly responseElements: Readonly<Record<string, unknown>> | null;
  /** `responseElements.ConsoleLogin` of sign-in events. */
  readonly consoleLogin: string | null;
  /** Temporary credentials an STS call handed out (`responseElements.credentials`). */
  readonly issuedCredentials: IssuedCredentials | null;
}

export interface CloudTrailIdentity {
  /** Root, IAMUser, AssumedRole, Role, FederatedUser, AWSAccount, AWSService, … */
  readonly type: string | null;
  readonly principalId: string | null;
  readonly arn: string | null;
  readonly accountId: string | null;
  /** `AKIA…` (long-term) or `ASIA…` (temporary); null when CloudTrail left it empty. */
  readonly accessKeyId: string | null;
  readonly userName: string | null;
  /** The role behind an assumed-role session (`sessionContext.sessionIssuer.arn`). */
  readonly sessionIssuerArn: string | null;
  /** Set when an AWS service made the call on the principal's behalf. */
  readonly invokedBy: string | null;
}

export interface IssuedCredentials {
  readonly accessKeyId: string;
  /** `null` when the non-ISO expiration could not be read. */
  readonly expiration: Date | null;
  /** Role the session belongs to (`assumedRoleUser.arn` or `requestParameters.roleArn`). */
  readonly roleArn: string | null;
  readonly sessionName: string | null;
}

const MAX_FIELD = 2_048;

/**
 * The events {@link normalizeCloudTrailRecord} makes. Being an instance of this class (which
 * parsed JSON never is) is what lets an event be handed to the normalizer again and come back
 * as it is, without being read a second time.
 */
class NormalizedEvent implements CloudTrailEvent {
  public readonly eventTimeMs: number;
  public readonly eventSource: string;
  public readonly eventName: string;
  public readonly eventType: string | null;
  public readonly awsRegion: string | null;
  public readonly sourceIp: string | null;
  public readonly userAgent: string | null;
  public readonly errorCode: string | null;
  public readonly errorMessage: string | null;
  public readonly recipientAccountId: string | null;
  public readonly identity: CloudTrailIdentity;
  public readonly requestParameters: Readonly<Record<string, unknown>> | null;
  public readonly responseElements: Readonly<Record<string, unknown>> | null;
  public readonly consoleLogin: string | null;
  public readonly issuedCredentials: IssuedCredentials | null;

  public constructor(fields: CloudTrailEvent) {
    this.eventTimeMs = fields.eventTimeMs;
    this.eventSource = fields.eventSource;
    this.eventName = fields.eventName;
    this.eventType = fields.eventType;
    this.awsRegion = fields.awsRegion;
    this.sourceIp = fields.sourceIp;
    this.userAgent = fields.userAgent;
    this.errorCode = fields.errorCode;
    this.errorMessage = fields.errorMessage;
    this.recipientAccountId = fields.recipientAccountId;
    this.identity = fields.identity;
    this.requestParameters = fields.requestParameters;
    this.responseElements = fields.responseElements;
    this.consoleLogin = fields.consoleLogin;
    this.issuedCredentials = fields.issuedCredentials;
  }
}

/**
 * Reads one CloudTrail record in any of the shapes we meet: a `Records[]` item of a trail file,
 * a LookupEvents `Events[]` item (`CloudTrailEvent` is a JSON string), the JSON string itself,
 * or an EventBridge envelope (`detail`). Returns `null` for anything that is not a record with
 * an event name and a readable event time; never throws. An event this function made (or
 * {@link rebuildCloudTrailEvent} rebuilt) is returned as it is.
 *
 * @example normalizeCloudTrailRecord({ eventTime: '2026-11-20T10:00:00Z', eventName: 'ConsoleLogin', eventSource: 'signin.amazonaws.com' })
 */
export function normalizeCloudTrailRecord(raw: unknown): CloudTrailEvent | null {
  if (raw instanceof NormalizedEvent) return raw;
  const record = unwrap(raw, 0);
  if (!record) return null;
  const eventName = text(record['eventName']);
  const eventTimeMs = parseAwsTimeMs(record['eventTime']);
  if (!eventName || eventTimeMs === null) return null;
  const identity = readIdentity(record['userIdentity']);
  const requestParameters = object(record['requestParameters']);
  const responseElements = object(record['responseElements']);
  return new NormalizedEvent({
    eventTimeMs,
    eventSource: text(record['eventSource']) ?? 'unknown',
    eventName,
    eventType: text(record['eventType']),
    awsRegion: text(record['awsRegion']),
    sourceIp: text(record['sourceIPAddress']),
    userAgent: text(record['userAgent']),
    errorCode: text(record['errorCode']),
    errorMessage: text(record['errorMessage']),
    recipientAccountId: text(record['recipientAccountId']),
    identity,
    requestParameters,
    responseElements,
    consoleLogin: text(responseElements?.['ConsoleLogin']),
    issuedCredentials: readIssued(responseElements, requestParameters),
  });
}

/**
 * An event made again from the fields of one {@link normalizeCloudTrailRecord} made, e.g. in
 * another thread (`lambdas/sources/files/cloudtrail-digest.ts`). Nothing is checked: the
 * fields must come from a normalized event. The result is taken by the normalizer (and so by
 * the correlator) as it is.
 */
export function rebuildCloudTrailEvent(fields: CloudTrailEvent): CloudTrailEvent {
  return new NormalizedEvent(fields);
}

function unwrap(raw: unknown, depth: number): Record<string, unknown> | null {
  if (depth > 3) return null;
  if (typeof raw === 'string') {
    if (raw.length > 1_000_000) return null;
    try {
      return unwrap(JSON.parse(raw), depth + 1);
    } catch {
      return null;
    }
  }
  const record = object(raw);
  if (!record) return null;
  if (typeof record['CloudTrailEvent'] === 'string')
    return unwrap(record['CloudTrailEvent'], depth + 1);
  const detail = object(record['detail']);
  if (detail && record['eventName'] === undefined) return unwrap(detail, depth + 1);
  return record;
}

function readIdentity(raw: unknown): CloudTrailIdentity {
  const identity = object(raw) ?? {};
  const sessionContext = object(identity['sessionContext']);
  const issuer = object(sessionContext?.['sessionIssuer']);
  return {
    type: text(identity['type']),
    principalId: text(identity['principalId']),
    arn: text(identity['arn']),
    accountId: text(identity['accountId']),
    accessKeyId: text(identity['accessKeyId']),
    userName: text(identity['userName']),
    sessionIssuerArn: text(issuer?.['arn']),
    invokedBy: text(identity['invokedBy']),
  };
}

function readIssued(
  response: Record<string, unknown> | null,
  request: Record<string, unknown> | null,
): IssuedCredentials | null {
  const credentials = object(response?.['credentials']);
  const accessKeyId = text(credentials?.['accessKeyId']);
  if (!credentials || !accessKeyId) return null;
  const assumed = object(response?.['assumedRoleUser']);
  const federated = object(response?.['federatedUser']);
  const roleArn = text(request?.['roleArn']) ?? roleOfSession(text(assumed?.['arn']));
  return {
    accessKeyId,
    expiration: parseAwsTime(credentials['expiration']),
    roleArn: roleArn ?? text(federated?.['arn']),
    sessionName: text(request?.['roleSessionName']) ?? text(request?.['name']),
  };
}

/** `arn:aws:sts::1:assumed-role/R/S` → `arn:aws:iam::1:role/R`. */
function roleOfSession(arn: string | null): string | null {
  if (!arn) return null;
  const match = /^arn:([^:]+):sts::(\d*):assumed-role\/([^/]+)\//.exec(arn);
  return match ? `arn:${match[1]}:iam::${match[2]}:role/${match[3]}` : arn;
}

function object(value: unknown): Record<string, unknown> | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

/** A non-empty string field, cut to a sane length; numbers are read as text. */
function text(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  if (trimmed.length === 0) return null;
  return trimmed.length > MAX_FIELD ? trimmed.slice(0, MAX_FIELD) : trimmed;
}

/** The principal a human would name: the ARN, else the user name, else the principal id. */
export function principalOf(identity: CloudTrailIdentity): string | null {
  if (identity.type === 'Root')
    return (
      identity.arn ?? (identity.accountId ? `arn:aws:iam::${identity.accountId}:root` : 'root')
    );
  return (
    identity.arn ??
    identity.userName ??
    identity.principalId ??
    identity.invokedBy ??
    identity.accessKeyId
  );
}
