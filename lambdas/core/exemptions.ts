import type { AuditConfig } from './config.js';
import type { PrincipalRecord } from './inventory.js';
import { CHECK_IDS, type CheckId } from './report.js';
import { addDays } from './time.js';

/** One reason a principal's findings may be hidden. */
export interface Exemption {
  readonly source: 'config' | 'tag';
  /** Where it was written, for the report: `config exemptions.users[0]`, `tag credential-health:exempt`. */
  readonly origin: string;
  /** Checks it covers; null for every check. */
  readonly checks: readonly CheckId[] | null;
  /** The expiry as written (`2026-12-31`); null for no expiry. */
  readonly until: string | null;
  /** First instant the exemption no longer holds; null for no expiry. */
  readonly endsAt: Date | null;
  readonly reason: string | null;
}

/** An exemption tag whose value cannot be read: it hides nothing, and the audit says why. */
export interface ExemptionProblem {
  readonly user: string;
  readonly tagKey: string;
  readonly value: string;
  readonly reason: string;
}

/** A readable exemption tag value: `exempt: false` for `false`/`no`. */
export type ExemptionTagValue =
  | { readonly ok: true; readonly exempt: false }
  | {
      readonly ok: true;
      readonly exempt: true;
      readonly checks: readonly CheckId[] | null;
      readonly until: string | null;
      readonly endsAt: Date | null;
      readonly reason: string | null;
    }
  | { readonly ok: false; readonly reason: string };

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const FIELD = /(?:^|[\s;/])(until|checks|reason)=/g;

/**
 * Reads the value of the exemption tag. Accepted: empty or `true` (every check, no expiry);
 * `false`/`no` (not exempt); a date `2026-12-31` (every check, through that UTC day); or fields
 * `until=2026-12-31;checks=key-unused,password-unused;reason=vendor key`. IAM tag values cannot
 * hold `;` or `,`, so fields may also be separated by spaces or `/`, and checks by `+` or `/`.
 *
 * @example parseExemptionTag('2026-12-31') // { ok: true, exempt: true, checks: null, until: '2026-12-31', ... }
 */
export function parseExemptionTag(value: string): ExemptionTagValue {
  const text = value.trim();
  const lower = text.toLowerCase();
  if (lower === '' || lower === 'true' || lower === 'yes') {
    return { ok: true, exempt: true, checks: null, until: null, endsAt: null, reason: null };
  }
  if (lower === 'false' || lower === 'no') return { ok: true, exempt: false };
  if (DATE_ONLY.test(text)) {
    const endsAt = exemptionEnd(text);
    if (!endsAt) return { ok: false, reason: `"${text}" is not a calendar date` };
    return { ok: true, exempt: true, checks: null, until: text, endsAt, reason: null };
  }
  return parseFields(text);
}

function parseFields(text: string): ExemptionTagValue {
  const matches = [...text.matchAll(FIELD)];
  const first = matches[0];
  if (!first) {
    return {
      ok: false,
      reason: 'expected true, a date such as 2026-12-31, or until=…;checks=…;reason=…',
    };
  }
  if (text.slice(0, first.index).trim() !== '') {
    return { ok: false, reason: `unexpected text before "${first[1]}="` };
  }
  const fields = new Map<string, string>();
  matches.forEach((match, index) => {
    const start = (match.index ?? 0) + match[0].length;
    const end = matches[index + 1]?.index ?? text.length;
    const name = match[1] ?? '';
    fields.set(name, text.slice(start, end).replace(/^[\s;/]+|[\s;/]+$/g, ''));
  });

  let until: string | null = null;
  let endsAt: Date | null = null;
  const untilText = fields.get('until');
  if (untilText !== undefined) {
    endsAt = exemptionEnd(untilText);
    if (!endsAt)
      return { ok: false, reason: `until "${untilText}" is not a date such as 2026-12-31` };
    until = untilText;
  }

  let checks: CheckId[] | null = null;
  const checksText = fields.get('checks');
  if (checksText !== undefined) {
    const names = checksText.split(/[,+/\s]+/).filter((name) => name !== '');
    const unknown = names.filter((name) => !isCheckId(name));
    if (names.length === 0) return { ok: false, reason: 'checks= names no check' };
    if (unknown.length > 0) {
      return { ok: false, reason: `unknown check ${unknown.map((n) => `"${n}"`).join(', ')}` };
    }
    checks = names.filter(isCheckId);
  }

  const reason = fields.get('reason');
  return {
    ok: true,
    exempt: true,
    checks,
    until,
    endsAt,
    reason: reason === undefined || reason === '' ? null : reason,
  };
}

function isCheckId(name: string): name is CheckId {
  return (CHECK_IDS as readonly string[]).includes(name);
}

/**
 * The first instant an exemption written as `until` no longer holds. A date holds through that
 * whole day in UTC; a date-time holds up to and including that instant.
 *
 * @example exemptionEnd('2026-12-31') // 2027-01-01T00:00:00.000Z
 */
export function exemptionEnd(until: string): Date | null {
  const text = until.trim();
  if (DATE_ONLY.test(text)) {
    const start = new Date(`${text}T00:00:00Z`);
    if (Number.isNaN(start.getTime()) || start.toISOString().slice(0, 10) !== text) return null;
    return addDays(start, 1);
  }
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text)) return null;
  const instant = new Date(text);
  if (Number.isNaN(instant.getTime())) return null;
  return new Date(instant.getTime() + 1);
}

/**
 * Every exemption written for a principal, in the config (by user name) and in its tag, and the
 * problem with the tag when its value cannot be read (such a tag exempts nothing).
 */
export function exemptionsOf(
  principal: PrincipalRecord,
  config: AuditConfig,
): { readonly exemptions: readonly Exemption[]; readonly problem: ExemptionProblem | null } {
  const exemptions: Exemption[] = [];
  config.exemptions.users.forEach((entry, index) => {
    if (entry.user !== principal.name) return;
    exemptions.push({
      source: 'config',
      origin: `config exemptions.users[${index}]`,
      checks: entry.checks ?? null,
      until: entry.until ?? null,
      // The schema validates the date; one that still cannot be read must not exempt forever.
      endsAt: entry.until === undefined ? null : (exemptionEnd(entry.until) ?? new Date(0)),
      reason: entry.reason ?? null,
    });
  });

  const tag = findTag(principal.tags, config.exemptions.tagKey);
  if (!tag) return { exemptions, problem: null };
  const parsed = parseExemptionTag(tag.value);
  if (!parsed.ok) {
    return {
      exemptions,
      problem: { user: principal.name, tagKey: tag.key, value: tag.value, reason: parsed.reason },
    };
  }
  if (parsed.exempt) {
    exemptions.push({
      source: 'tag',
      origin: `tag ${tag.key}`,
      checks: parsed.checks,
      until: parsed.until,
      endsAt: parsed.endsAt,
      reason: parsed.reason,
    });
  }
  return { exemptions, problem: null };
}

/**
 * The exemption that hides a check's findings at `now`, or null. An expired exemption hides
 * nothing. When several hold, the first written wins: config entries come before the tag.
 */
export function activeExemption(
  exemptions: readonly Exemption[],
  check: CheckId,
  now: Date,
): Exemption | null {
  const holding = exemptions.filter(
    (exemption) =>
      (exemption.checks === null || exemption.checks.includes(check)) &&
      (exemption.endsAt === null || now.getTime() < exemption.endsAt.getTime()),
  );
  return holding[0] ?? null;
}

/**
 * A tag by key, ignoring case as IAM does (IAM keeps one of `Owner`/`owner` on a user).
 */
export function findTag(
  tags: Readonly<Record<string, string>>,
  key: string,
): { readonly key: string; readonly value: string } | null {
  if (Object.hasOwn(tags, key)) return { key, value: tags[key] ?? '' };
  const wanted = key.toLowerCase();
  for (const [name, value] of Object.entries(tags)) {
    if (name.toLowerCase() === wanted) return { key: name, value };
  }
  return null;
}
