import { z } from 'zod';
import { ConfigError } from './errors.js';
import { CHECK_IDS, INCIDENT_KINDS, type IncidentKind, SEVERITIES } from './report.js';

/** Defaults of PRODUCT.md; every threshold can be changed in the config file. */
export const DEFAULT_MIN_EVENTS: Readonly<Record<IncidentKind, number>> = {
  'revoked-key-in-use': 1,
  'root-activity': 1,
  'key-quarantined': 1,
  'invalid-credentials': 5,
  'expired-credentials': 5,
  'no-credentials': 5,
  'clock-skew': 5,
  'access-denied': 10,
  'console-login-failure': 10,
  'anonymous-denied': 10,
};

/**
 * A number of days: at most 100 years. Larger limits gave dates past what JavaScript can
 * represent (the audit failed with `RangeError: Invalid time value`).
 */
export const MAX_DAYS = 36_500;
const days = z.number().int().positive().max(MAX_DAYS);
const isoDate = z.iso.date().or(z.iso.datetime({ offset: true }));
/** `30m`, `24h`, `7d`: the lookback and window syntax of the CLI. */
export const DURATION_PATTERN = /^(\d+)(m|h|d)$/;
/**
 * The longest duration accepted: 3650 days. A longer lookback would start the window before the
 * dates JavaScript can represent (the audit then failed with `RangeError: Invalid time value`).
 */
export const MAX_DURATION_MS = 3650 * 86_400_000;
const duration = z
  .string()
  .regex(DURATION_PATTERN, 'must be a duration such as 30m, 24h or 7d')
  .refine(
    (value) => !DURATION_PATTERN.test(value) || durationMs(value) > 0,
    'must be longer than zero',
  )
  .refine(
    (value) => !DURATION_PATTERN.test(value) || durationMs(value) <= MAX_DURATION_MS,
    'must be at most 3650d',
  );

const checkId = z.enum(CHECK_IDS);

const thresholdsSchema = z.strictObject({
  /** Rotation limit for keys of users with a console password (humans). */
  maxKeyAgeDays: days.default(90),
  /** Rotation limit for keys of users without a console password (machines); defaults to maxKeyAgeDays. */
  machineMaxKeyAgeDays: days.optional(),
  /** `key-rotation-due` fires this many days before the rotation limit. */
  reminderLeadDays: z.number().int().nonnegative().max(MAX_DAYS).default(14),
  keyUnusedDays: days.default(45),
  /** Grace period for a never-used key; defaults to keyUnusedDays. */
  newKeyGraceDays: days.optional(),
  inactiveKeyDays: days.default(30),
  passwordUnusedDays: days.default(45),
  rootRecentUseDays: days.default(30),
  signingCertMaxAgeDays: days.default(365),
});

const minEventsShape = Object.fromEntries(
  INCIDENT_KINDS.map((kind) => [kind, z.number().int().positive().optional()]),
) as Record<IncidentKind, z.ZodOptional<z.ZodNumber>>;

const incidentsSchema = z.strictObject({
  /** How far back an audit looks for incidents. */
  lookback: duration.default('24h'),
  /** A key deactivated or deleted this soon after its last use is announced as still in use. */
  revokedAfterUseWindow: duration.default('24h'),
  /** Minimum evidence in the window before an incident is reported, per kind. */
  minEvents: z.strictObject(minEventsShape).default({}),
  /** Incident kinds not to report at all. */
  disabled: z.array(z.enum(INCIDENT_KINDS)).default([]),
});

const userExemptionSchema = z.strictObject({
  user: z.string().min(1),
  /** Checks the exemption applies to; all checks when absent. */
  checks: z.array(checkId).optional(),
  /** Last day the exemption holds (inclusive); forever when absent. */
  until: isoDate.optional(),
  reason: z.string().optional(),
});

const exemptionsSchema = z.strictObject({
  users: z.array(userExemptionSchema).default([]),
  /**
   * IAM user tag that exempts a user. Value: `true`, an expiry date (`2026-12-31`), or
   * `until=2026-12-31 checks=key-unused+password-unused reason=…` (IAM tag values cannot hold
   * `;` or `,`, so spaces or `/` separate fields; `;`/`,` are accepted too for hand-made exports).
   */
  tagKey: z.string().min(1).default('credential-health:exempt'),
});

const ownersSchema = z.strictObject({
  /** User tags read for an owner, first match wins. */
  tagKeys: z.array(z.string().min(1)).min(1).default(['credential-health:owner', 'owner', 'email']),
  /** User tag naming the team; a team's owner comes from `teams`. */
  teamTagKey: z.string().min(1).default('team'),
  teams: z.record(z.string(), z.string().min(1)).default({}),
  /** Owner of everything nobody else owns. */
  accountDefault: z.string().min(1).nullable().default(null),
});

/** The whole config file (`--config FILE`, or the deployed functions' settings). */
export const auditConfigSchema = z.strictObject({
  $schema: z.string().optional(),
  thresholds: thresholdsSchema.default(thresholdsSchema.parse({})),
  checks: z
    .strictObject({
      disabled: z.array(checkId).default([]),
      /** Change a check's severity. */
      severity: z.partialRecord(checkId, z.enum(SEVERITIES)).default({}),
    })
    .default({ disabled: [], severity: {} }),
  incidents: incidentsSchema.default(incidentsSchema.parse({})),
  exemptions: exemptionsSchema.default(exemptionsSchema.parse({})),
  owners: ownersSchema.default(ownersSchema.parse({})),
});

/** The config after defaults are applied. */
export type AuditConfig = z.output<typeof auditConfigSchema>;
/** The config as a user writes it: everything optional. */
export type AuditConfigInput = z.input<typeof auditConfigSchema>;

/** The defaults of PRODUCT.md. */
export const DEFAULT_CONFIG: AuditConfig = auditConfigSchema.parse({});

/**
 * Validates a parsed config file and applies the defaults.
 *
 * @throws ConfigError naming every wrong key or value, e.g.
 *   `config: thresholds.maxKeyAgeDays: must be a positive integer, got 0`.
 * @example
 * const config = parseAuditConfig(JSON.parse(text), 'credhealth.json');
 */
export function parseAuditConfig(value: unknown, origin = 'config'): AuditConfig {
  const result = auditConfigSchema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const where = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
    if (issue.code === 'unrecognized_keys') {
      return `${where}: unknown key ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    }
    return `${where}: ${issue.message}, got ${describeValue(valueAt(value, issue.path))}`;
  });
  throw new ConfigError(`${origin}: ${problems.join('; ')}`);
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = root;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * Milliseconds in a `30m` / `24h` / `7d` duration.
 *
 * @throws ConfigError when the text is not such a duration.
 * @example parseDurationMs('24h') // 86_400_000
 */
export function parseDurationMs(text: string): number {
  if (!DURATION_PATTERN.test(text.trim()))
    throw new ConfigError(`"${text}" is not a duration such as 30m, 24h or 7d`);
  const ms = durationMs(text);
  if (ms > MAX_DURATION_MS) throw new ConfigError(`"${text}" is longer than 3650d`);
  return ms;
}

/** Milliseconds in a text that matches DURATION_PATTERN; NaN when it does not. Never throws. */
function durationMs(text: string): number {
  const match = DURATION_PATTERN.exec(text.trim());
  if (!match) return Number.NaN;
  const amount = Number(match[1]);
  const unit = match[2] === 'm' ? 60_000 : match[2] === 'h' ? 3_600_000 : 86_400_000;
  return amount * unit;
}

/** Rotation limit for a key, by whether its user can sign in to the console. */
export function maxKeyAgeDaysFor(config: AuditConfig, hasConsolePassword: boolean): number {
  const { maxKeyAgeDays, machineMaxKeyAgeDays } = config.thresholds;
  return hasConsolePassword ? maxKeyAgeDays : (machineMaxKeyAgeDays ?? maxKeyAgeDays);
}

/** Minimum evidence for an incident kind, after the config's overrides. */
export function minEventsFor(config: AuditConfig, kind: IncidentKind): number {
  return config.incidents.minEvents[kind] ?? DEFAULT_MIN_EVENTS[kind];
}
