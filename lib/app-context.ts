/**
 * The `-c key=value` settings of the app (`cdk deploy -c notifyEmails=a@x.com,b@x.com`), parsed
 * into plain values. Pure: the stack turns these into construct props and AWS references.
 */

/** Every context key the app reads. */
export const CONTEXT_KEYS = [
  'notifyEmails',
  'ownerEmails',
  'alarmEmails',
  'notifyMinSeverity',
  'slackWebhookSecretName',
  'slackMinSeverity',
  'maxKeyAgeDays',
  'machineMaxKeyAgeDays',
  'reminderLeadDays',
  'keyUnusedDays',
  'inactiveKeyDays',
  'keyScanSchedule',
  'trailWatchMinutes',
  'trailLookbackMinutes',
  'incidentQuietRuns',
  'ownerTagKeys',
  'exemptionTagKey',
  'cloudTrail',
  'cloudTrailBucket',
  'cloudTrailPrefix',
  'cloudTrailKeyArn',
  'logGroups',
  'watchLambdaLogGroups',
  'logRetentionDays',
  'topicArn',
  'topicKeyArn',
] as const;

/** One context key. */
export type ContextKey = (typeof CONTEXT_KEYS)[number];

/** The app settings, each absent when not given. */
export interface AppSettings {
  readonly notifyEmails?: string[];
  readonly ownerEmails?: string[];
  readonly alarmEmails?: string[];
  readonly notifyMinSeverity?: string;
  readonly slackWebhookSecretName?: string;
  readonly slackMinSeverity?: string;
  readonly maxKeyAgeDays?: number;
  readonly machineMaxKeyAgeDays?: number;
  readonly reminderLeadDays?: number;
  readonly keyUnusedDays?: number;
  readonly inactiveKeyDays?: number;
  /** An EventBridge Scheduler expression: `cron(0 6 * * ? *)` or `rate(12 hours)`. */
  readonly keyScanSchedule?: string;
  readonly trailWatchMinutes?: number;
  readonly trailLookbackMinutes?: number;
  readonly incidentQuietRuns?: number;
  readonly ownerTagKeys?: string[];
  readonly exemptionTagKey?: string;
  readonly cloudTrail?: 'auto' | 'lookup' | 's3';
  readonly cloudTrailBucket?: string;
  readonly cloudTrailPrefix?: string;
  /** ARN of the KMS key that encrypts the trail's files (SSE-KMS trails). */
  readonly cloudTrailKeyArn?: string;
  readonly logGroups?: string[];
  readonly watchLambdaLogGroups?: boolean;
  readonly logRetentionDays?: number;
  readonly topicArn?: string;
  /** ARN of the KMS key of that topic, when it is encrypted. */
  readonly topicKeyArn?: string;
}

const LIST_KEYS = new Set<ContextKey>([
  'notifyEmails',
  'ownerEmails',
  'alarmEmails',
  'ownerTagKeys',
  'logGroups',
]);
const NUMBER_KEYS = new Set<ContextKey>([
  'maxKeyAgeDays',
  'machineMaxKeyAgeDays',
  'reminderLeadDays',
  'keyUnusedDays',
  'inactiveKeyDays',
  'trailWatchMinutes',
  'trailLookbackMinutes',
  'incidentQuietRuns',
  'logRetentionDays',
]);

/**
 * Reads the app settings through `get` (usually `node.tryGetContext`). Lists are
 * comma-separated on the command line or JSON arrays in cdk.json.
 *
 * @returns the settings and every problem found (each naming the key and the value).
 * @example
 * parseAppContext((key) => ({ notifyEmails: 'a@example.com,b@example.com' })[key])
 * // { settings: { notifyEmails: ['a@example.com', 'b@example.com'] }, errors: [] }
 */
export function parseAppContext(get: (key: string) => unknown): {
  settings: AppSettings;
  errors: string[];
} {
  const errors: string[] = [];
  const settings: Record<string, unknown> = {};
  for (const key of CONTEXT_KEYS) {
    const raw = get(key);
    if (raw === undefined || raw === null || raw === '') continue;
    if (LIST_KEYS.has(key)) {
      const list = toList(raw);
      if (list === undefined)
        errors.push(`context ${key} must be a comma-separated list, got ${JSON.stringify(raw)}`);
      else if (list.length > 0) settings[key] = list;
    } else if (NUMBER_KEYS.has(key)) {
      const value =
        typeof raw === 'number'
          ? raw
          : typeof raw === 'string' && /^-?\d+$/.test(raw.trim())
            ? Number(raw)
            : Number.NaN;
      if (Number.isNaN(value))
        errors.push(`context ${key} must be a whole number, got ${JSON.stringify(raw)}`);
      else settings[key] = value;
    } else if (key === 'watchLambdaLogGroups') {
      if (raw === true || raw === 'true') settings[key] = true;
      else if (raw === false || raw === 'false') settings[key] = false;
      else errors.push(`context ${key} must be true or false, got ${JSON.stringify(raw)}`);
    } else if (typeof raw !== 'string') {
      errors.push(`context ${key} must be a string, got ${JSON.stringify(raw)}`);
    } else {
      settings[key] = raw.trim();
    }
  }
  const mode = settings.cloudTrail;
  if (mode !== undefined && mode !== 'auto' && mode !== 'lookup' && mode !== 's3') {
    errors.push(`context cloudTrail must be auto, lookup or s3, got ${JSON.stringify(mode)}`);
  }
  if (mode === 's3' && settings.cloudTrailBucket === undefined) {
    errors.push(
      'context cloudTrailBucket must name the trail bucket when cloudTrail is s3, got nothing',
    );
  }
  // Without cloudTrail=s3 these would be dropped without a word, and the functions would not
  // get read access to the bucket the user named.
  if (mode !== 's3') {
    for (const key of ['cloudTrailBucket', 'cloudTrailPrefix', 'cloudTrailKeyArn'] as const) {
      if (settings[key] === undefined) continue;
      errors.push(
        `context ${key} is only read when cloudTrail is s3, got cloudTrail=${mode === undefined ? 'auto (the default)' : String(mode)}`,
      );
    }
  }
  return { settings: settings as AppSettings, errors };
}

function toList(raw: unknown): string[] | undefined {
  if (typeof raw === 'string') {
    return raw
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item.length > 0);
  }
  if (Array.isArray(raw) && raw.every((item) => typeof item === 'string')) {
    return raw.map((item: string) => item.trim()).filter((item) => item.length > 0);
  }
  return undefined;
}
