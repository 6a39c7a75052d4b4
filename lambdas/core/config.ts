// zod/mini, not classic `zod`: the same schemas and messages, but tree-shakable (classic `zod`
// put 445 KB into every Lambda bundle). The schemas are built by one pure function, so a bundle
// that only needs, say, `parseDurationMs` carries no zod at all.
import { en } from 'zod/locales';
import * as z from 'zod/mini';
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
/** `30m`, `24h`, `7d`: the lookback and window syntax of the CLI. */
export const DURATION_PATTERN = /^(\d+)(m|h|d)$/;
/**
 * The longest duration accepted: 3650 days. A longer lookback would start the window before the
 * dates JavaScript can represent (the audit then failed with `RangeError: Invalid time value`).
 */
export const MAX_DURATION_MS = 3650 * 86_400_000;

/**
 * Builds the config schema. One function, called once below with a pure annotation, so that
 * esbuild drops it, and zod with it, from a bundle that never validates a config.
 */
function buildAuditConfigSchema() {
  const days = z.number().check(z.int(), z.positive(), z.maximum(MAX_DAYS));
  const isoDate = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);
  const duration = z.string().check(
    z.regex(DURATION_PATTERN, 'must be a duration such as 30m, 24h or 7d'),
    z.refine(
      (value) => !DURATION_PATTERN.test(value) || durationMs(value) > 0,
      'must be longer than zero',
    ),
    z.refine(
      (value) => !DURATION_PATTERN.test(value) || durationMs(value) <= MAX_DURATION_MS,
      'must be at most 3650d',
    ),
  );

  const checkId = z.enum(CHECK_IDS);
  const nonEmpty = z.string().check(z.minLength(1));

  const thresholdsSchema = z.strictObject({
    /** Rotation limit for keys of users with a console password (humans). */
    maxKeyAgeDays: z._default(days, 90),
    /** Rotation limit for keys of users without a console password (machines); defaults to maxKeyAgeDays. */
    machineMaxKeyAgeDays: z.optional(days),
    /** `key-rotation-due` fires this many days before the rotation limit. */
    reminderLeadDays: z._default(
      z.number().check(z.int(), z.nonnegative(), z.maximum(MAX_DAYS)),
      14,
    ),
    keyUnusedDays: z._default(days, 45),
    /** Grace period for a never-used key; defaults to keyUnusedDays. */
    newKeyGraceDays: z.optional(days),
    inactiveKeyDays: z._default(days, 30),
    passwordUnusedDays: z._default(days, 45),
    rootRecentUseDays: z._default(days, 30),
    signingCertMaxAgeDays: z._default(days, 365),
  });

  const minEventsShape = Object.fromEntries(
    INCIDENT_KINDS.map((kind) => [kind, z.optional(z.number().check(z.int(), z.positive()))]),
  ) as Record<IncidentKind, z.ZodMiniOptional<z.ZodMiniNumber>>;

  const incidentsSchema = z.strictObject({
    /** How far back an audit looks for incidents. */
    lookback: z._default(duration, '24h'),
    /** A key deactivated or deleted this soon after its last use is announced as still in use. */
    revokedAfterUseWindow: z._default(duration, '24h'),
    /** Minimum evidence in the window before an incident is reported, per kind. */
    minEvents: z._default(z.strictObject(minEventsShape), {}),
    /** Incident kinds not to report at all. */
    disabled: z._default(z.array(z.enum(INCIDENT_KINDS)), []),
  });

  const userExemptionSchema = z.strictObject({
    user: z.string().check(z.minLength(1)),
    /** Checks the exemption applies to; all checks when absent. */
    checks: z.optional(z.array(checkId)),
    /** Last day the exemption holds (inclusive); forever when absent. */
    until: z.optional(isoDate),
    reason: z.optional(z.string()),
  });

  const exemptionsSchema = z.strictObject({
    users: z._default(z.array(userExemptionSchema), []),
    /**
     * IAM user tag that exempts a user. Value: `true`, an expiry date (`2026-12-31`), or
     * `until=2026-12-31 checks=key-unused+password-unused reason=…` (IAM tag values cannot hold
     * `;` or `,`, so spaces or `/` separate fields; `;`/`,` are accepted too for hand-made exports).
     */
    tagKey: z._default(nonEmpty, 'credential-health:exempt'),
  });

  const ownersSchema = z.strictObject({
    /** User tags read for an owner, first match wins. */
    tagKeys: z._default(z.array(nonEmpty).check(z.minLength(1)), [
      'credential-health:owner',
      'owner',
      'email',
    ]),
    /** User tag naming the team; a team's owner comes from `teams`. */
    teamTagKey: z._default(nonEmpty, 'team'),
    teams: z._default(z.record(z.string(), nonEmpty), {}),
    /** Owner of everything nobody else owns. */
    accountDefault: z._default(z.nullable(nonEmpty), null),
  });

  return z.strictObject({
    $schema: z.optional(z.string()),
    thresholds: z._default(thresholdsSchema, thresholdsSchema.parse({})),
    checks: z._default(
      z.strictObject({
        disabled: z._default(z.array(checkId), []),
        /** Change a check's severity. */
        severity: z._default(z.partialRecord(checkId, z.enum(SEVERITIES)), {}),
      }),
      { disabled: [], severity: {} },
    ),
    incidents: z._default(incidentsSchema, incidentsSchema.parse({})),
    exemptions: z._default(exemptionsSchema, exemptionsSchema.parse({})),
    owners: z._default(ownersSchema, ownersSchema.parse({})),
  });
}

/** The whole config file (`--config FILE`, or the deployed functions' settings). */
export const auditConfigSchema = /* @__PURE__ */ buildAuditConfigSchema();

/** The config after defaults are applied. */
export type AuditConfig = z.output<typeof auditConfigSchema>;
/** The config as a user writes it: everything optional. */
export type AuditConfigInput = z.input<typeof auditConfigSchema>;

/** The defaults of PRODUCT.md. */
export const DEFAULT_CONFIG: AuditConfig = /* @__PURE__ */ auditConfigSchema.parse({});

/**
 * Validates a parsed config file and applies the defaults.
 *
 * @throws ConfigError naming every wrong key or value, e.g.
 *   `config: thresholds.maxKeyAgeDays: must be a positive integer, got 0`.
 * @example
 * const config = parseAuditConfig(JSON.parse(text), 'credhealth.json');
 */
export function parseAuditConfig(value: unknown, origin = 'config'): AuditConfig {
  // zod/mini has no messages of its own: the English ones classic `zod` used, for this parse.
  const result = auditConfigSchema.safeParse(value, { error: en().localeError });
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
