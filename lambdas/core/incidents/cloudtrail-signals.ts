import type { CloudTrailEvent } from '../cloudtrail-event.js';
import { redactSecrets } from '../redact.js';

/**
 * Small predicates over normalized CloudTrail events: which records are evidence of which
 * incident kind. Kept apart from the correlator so each rule can be read and tested alone.
 */

/** `AccessDenied*`, `*UnauthorizedOperation` (EC2 `Client.UnauthorizedOperation`), SNS `AuthorizationError`. */
export function isAccessDeniedCode(code: string | null): boolean {
  if (!code) return false;
  return (
    /^(?:Client\.)?AccessDenied/i.test(code) ||
    /UnauthorizedOperation$/i.test(code) ||
    code === 'AuthorizationError'
  );
}

/** The anonymous caller of S3 data events: `accountId` (real logs) or `principalId` (S3 docs). */
export function isAnonymous(event: CloudTrailEvent): boolean {
  return (
    event.identity.accountId === 'ANONYMOUS_PRINCIPAL' ||
    event.identity.principalId === 'ANONYMOUS_PRINCIPAL'
  );
}

/**
 * Calls AWS made for the root user rather than root itself: a service acting on root's behalf
 * (`invokedBy`), requests from AWS's own network (`sourceIPAddress` = a service name or
 * `AWS Internal`) and service events. Counting them would alarm on every account.
 */
export function isMadeByAwsService(event: CloudTrailEvent): boolean {
  if (event.identity.invokedBy) return true;
  if (event.eventType && /^AwsServiceEvent$/i.test(event.eventType)) return true;
  const ip = event.sourceIp ?? '';
  if (/\.amazonaws\.com$/i.test(ip) || /^AWS Internal$/i.test(ip)) return true;
  return /^AWS Internal$/i.test(event.userAgent ?? '');
}

/** A failed console sign-in: `responseElements.ConsoleLogin = "Failure"`. */
export function isConsoleLoginFailure(event: CloudTrailEvent): boolean {
  if (event.eventName !== 'ConsoleLogin') return false;
  if (event.consoleLogin) return /^Failure$/i.test(event.consoleLogin);
  // Some delivery paths drop responseElements; the error message still tells.
  return /^Failed authentication$|^No username found/i.test(event.errorMessage ?? '');
}

/** The user name AWS writes when a console sign-in names a user that does not exist. */
export const HIDDEN_USER = 'HIDDEN_DUE_TO_SECURITY_REASONS';

/** Policies AWS attaches to a user whose key it found exposed in public. */
const QUARANTINE_POLICY = /AWSCompromisedKeyQuarantine|AWSExposedCredentialPolicy_DO_NOT_REMOVE/;

/** The user AWS quarantined (AttachUserPolicy/PutUserPolicy with a quarantine policy), or null. */
export function quarantinedUser(event: CloudTrailEvent): string | null {
  if (event.errorCode || event.eventSource !== 'iam.amazonaws.com') return null;
  const params = event.requestParameters;
  if (!params) return null;
  const policy =
    event.eventName === 'AttachUserPolicy'
      ? params['policyArn']
      : event.eventName === 'PutUserPolicy'
        ? params['policyName']
        : undefined;
  if (typeof policy !== 'string' || !QUARANTINE_POLICY.test(policy)) return null;
  const user = params['userName'];
  return typeof user === 'string' && user.length > 0 ? user : 'unknown user';
}

export interface DeniedRequest {
  readonly action: string;
  readonly resource: string | null;
}

/**
 * The action and resource of an authorization failure, from the message when it says
 * `is not authorized to perform: X on resource: Y`, else from the event itself.
 *
 * @example deniedRequest(event) // { action: 'cloudtrail:StopLogging', resource: 'arn:aws:cloudtrail:…' }
 */
export function deniedRequest(event: CloudTrailEvent): DeniedRequest {
  const message = event.errorMessage ?? '';
  const match =
    /not authorized to perform:?\s+([A-Za-z0-9-]+:[A-Za-z0-9*]+)(?:\s+on resource:?\s+(.+?))?(?:\s+(?:because|with an explicit)\b|\.?$)/.exec(
      message.length > 2_000 ? message.slice(0, 2_000) : message,
    );
  if (match?.[1]) {
    const resource = match[2] ? redactSecrets(match[2].trim().replace(/[.,;]+$/, '')) : null;
    return {
      action: match[1],
      resource: resource && resource.length > 0 ? resource.slice(0, 300) : null,
    };
  }
  const service = event.eventSource.replace(/\.amazonaws\.com$/, '');
  return { action: `${service}:${event.eventName}`, resource: resourceOf(event) };
}

function resourceOf(event: CloudTrailEvent): string | null {
  const params = event.requestParameters;
  if (!params) return null;
  const bucket = params['bucketName'];
  if (typeof bucket === 'string') {
    const key = params['key'];
    return typeof key === 'string'
      ? `arn:aws:s3:::${bucket}/${key}`.slice(0, 300)
      : `arn:aws:s3:::${bucket}`;
  }
  for (const name of [
    'roleArn',
    'policyArn',
    'functionName',
    'topicArn',
    'queueUrl',
    'tableName',
    'secretId',
    'name',
  ]) {
    const value = params[name];
    if (typeof value === 'string' && value.length > 0) return redactSecrets(value).slice(0, 300);
  }
  return null;
}

/**
 * Whether the correlator reads the request or response objects (`requestParameters`,
 * `responseElements`) of this event: failed calls (denied resources, buckets), IAM calls (key
 * lifecycle, quarantine policies) and key revocations. Their two fields it reads of every event
 * (`consoleLogin`, `issuedCredentials`) are taken out of them by the normalizer. For any other
 * event the correlator finds the same with both objects `null`, which is how the CloudTrail
 * reader threads send it (`lambdas/sources/files/cloudtrail-digest.ts`): a rule that reads them
 * of more events must widen this, or the report with reader threads would differ.
 */
export function readsRequestDetail(event: CloudTrailEvent): boolean {
  return (
    event.errorCode !== null ||
    event.eventSource === 'iam.amazonaws.com' ||
    event.eventName === 'UpdateAccessKey' ||
    event.eventName === 'DeleteAccessKey'
  );
}
