import type { AuditConfig } from '../config.js';
import {
  activeExemption,
  type Exemption,
  type ExemptionProblem,
  exemptionsOf,
} from '../exemptions.js';
import { stableId } from '../ids.js';
import type { AccessKeyRecord, Inventory, PrincipalRecord } from '../inventory.js';
import { maskAccessKeyId } from '../mask.js';
import { ownerOf } from '../owners.js';
import { type AdviceSubject, CHECK_INFO, remediationFor } from '../remediation/check-advice.js';
import type { CheckId, Finding, ReportAccessKey, SourceStatus } from '../report.js';
import { toIso } from '../time.js';
import { ageInDays, type CheckContext, type CheckHit, type CredentialCheck } from './check.js';
import { consoleUserNoMfa } from './console-user-no-mfa.js';
import { keyCreatedWithUser } from './key-created-with-user.js';
import { keyInactive } from './key-inactive.js';
import { keyRotationDue } from './key-rotation-due.js';
import { keyRotationOverdue } from './key-rotation-overdue.js';
import { keyUnused } from './key-unused.js';
import { multipleActiveKeys } from './multiple-active-keys.js';
import { passwordUnused } from './password-unused.js';
import { rootAccessKey } from './root-access-key.js';
import { rootMfaDisabled } from './root-mfa-disabled.js';
import { rootRecentUse } from './root-recent-use.js';
import { signingCertOld } from './signing-cert-old.js';

/** Every check, in the order of CHECK_IDS. */
export const CHECKS: readonly CredentialCheck[] = [
  rootAccessKey,
  rootMfaDisabled,
  rootRecentUse,
  keyRotationDue,
  keyRotationOverdue,
  keyUnused,
  keyInactive,
  multipleActiveKeys,
  keyCreatedWithUser,
  consoleUserNoMfa,
  passwordUnused,
  signingCertOld,
];

/** A finding an exemption hid: which one, by what, and until when. */
export interface ExemptedFinding {
  /** The id the finding would have had. */
  readonly id: string;
  readonly check: CheckId;
  readonly principalName: string;
  readonly slot: 1 | 2 | null;
  readonly exemptedBy: 'config' | 'tag';
  /** `config exemptions.users[0]` or `tag credential-health:exempt`. */
  readonly origin: string;
  /** Last day (or instant) the exemption holds, as written; null for no expiry. */
  readonly until: string | null;
  readonly reason: string | null;
}

export interface CheckResults {
  readonly findings: Finding[];
  readonly exempted: readonly ExemptedFinding[];
  /**
   * Extra `sources` entries: exemption tags whose value cannot be read (they hide nothing).
   * Empty when there is nothing to say.
   */
  readonly notes: readonly SourceStatus[];
}

/**
 * Runs every enabled check over every principal and turns the hits into findings: severity
 * overrides, deterministic ids, owners, controls and remediation; findings covered by an
 * exemption that still holds at `now` go to `exempted` instead.
 *
 * @example
 * const { findings, exempted } = runChecks(inventory, DEFAULT_CONFIG, new Date('2026-11-20T12:00:00Z'));
 */
export function runChecks(inventory: Inventory, config: AuditConfig, now: Date): CheckResults {
  const context: CheckContext = { config, now };
  const disabled = new Set<CheckId>(config.checks.disabled);
  const enabled = CHECKS.filter((check) => !disabled.has(check.id));
  const findings: Finding[] = [];
  const exempted: ExemptedFinding[] = [];
  const problems: ExemptionProblem[] = [];

  for (const principal of inventory.principals) {
    // Exemptions and owner are read only for a principal with a finding (most have none), and
    // for one with tags, whose exemption tag may be unreadable (that is reported either way).
    let about: PrincipalFindings | null = null;
    for (const check of enabled) {
      const hits = check.evaluate(principal, context);
      if (hits.length === 0) continue;
      about ??= aboutPrincipal(principal, config);
      for (const hit of hits) {
        const slot = hit.key?.slot ?? hit.certSlot ?? null;
        const id = stableId('f', inventory.accountId, check.id, principal.name, slot ?? '');
        const exemption =
          about.exemptions.length === 0 ? null : activeExemption(about.exemptions, check.id, now);
        if (exemption) {
          exempted.push({
            id,
            check: check.id,
            principalName: principal.name,
            slot,
            exemptedBy: exemption.source,
            origin: exemption.origin,
            until: exemption.until,
            reason: exemption.reason,
          });
          continue;
        }
        findings.push(toFinding(check.id, id, hit, about.owner, config, now, about.problem));
      }
    }
    const problem = about
      ? about.problem
      : hasTags(principal)
        ? problemOf(principal, config)
        : null;
    if (problem) problems.push(problem);
  }
  return { findings, exempted, notes: problems.length > 0 ? [problemsNote(problems)] : [] };
}

interface PrincipalFindings {
  readonly exemptions: readonly Exemption[];
  readonly problem: ExemptionProblem | null;
  readonly owner: string | null;
}

function aboutPrincipal(principal: PrincipalRecord, config: AuditConfig): PrincipalFindings {
  const { exemptions, problem } = exemptionsOf(principal, config);
  return { exemptions, problem, owner: ownerOf(principal, config) };
}

/** An unreadable exemption tag can only be a tag. */
function hasTags(principal: PrincipalRecord): boolean {
  for (const _ in principal.tags) return true;
  return false;
}

function problemOf(principal: PrincipalRecord, config: AuditConfig): ExemptionProblem | null {
  return exemptionsOf(principal, config).problem;
}

function toFinding(
  check: CheckId,
  id: string,
  hit: CheckHit,
  owner: string | null,
  config: AuditConfig,
  now: Date,
  problem: ExemptionProblem | null,
): Finding {
  const { principal } = hit;
  // Said on the finding itself, where the person who wrote the tag will look.
  const warning = problem
    ? ` The ${problem.tagKey} tag on this user was not applied: ${problem.reason}.`
    : '';
  // Built without spreads: one object per finding instead of three.
  const subject: { -readonly [K in keyof AdviceSubject]: AdviceSubject[K] } = {
    principal,
    key: hit.key,
  };
  if (hit.otherKey) subject.otherKey = hit.otherKey;
  if (hit.certSlot) subject.certSlot = hit.certSlot;
  return {
    id,
    check,
    severity: config.checks.severity[check] ?? hit.severity,
    title: hit.title,
    detail: `${hit.detail}${warning}`,
    principal: { type: principal.type, name: principal.name, arn: principal.arn },
    accessKey: hit.key ? toReportKey(hit.key, now) : null,
    owner,
    controls: CHECK_INFO[check].controls,
    remediation: remediationFor(check, subject),
  };
}

/** The report's view of a key; `maskedId` is `key 1` when the id is unknown. */
export function toReportKey(key: AccessKeyRecord, now: Date): ReportAccessKey {
  const lastUsed = key.lastUsed.state === 'date' ? key.lastUsed.value : null;
  return {
    slot: key.slot,
    id: key.id,
    maskedId: key.id === null ? `key ${key.slot}` : maskAccessKeyId(key.id),
    status: key.status,
    createdAt: key.createdAt ? toIso(key.createdAt) : null,
    lastUsedAt: lastUsed ? toIso(lastUsed) : null,
    lastUsedRegion: key.lastUsedRegion,
    lastUsedService: key.lastUsedService,
    ageDays: key.createdAt ? ageInDays(key.createdAt, now) : null,
  };
}

function problemsNote(problems: readonly ExemptionProblem[]): SourceStatus {
  const shown = problems
    .slice(0, 5)
    .map((p) => `${p.user} (${p.tagKey}=${JSON.stringify(p.value.slice(0, 60))}: ${p.reason})`);
  const more = problems.length > shown.length ? `, and ${problems.length - shown.length} more` : '';
  return {
    name: 'exemption-tags',
    status: 'degraded',
    detail: `${problems.length} exemption tag${problems.length === 1 ? ' could not be read and hides' : 's could not be read and hide'} nothing: ${shown.join('; ')}${more}.`,
    itemsSkipped: problems.length,
  };
}
