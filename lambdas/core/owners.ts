import type { AuditConfig } from './config.js';
import { findTag } from './exemptions.js';
import type { PrincipalRecord } from './inventory.js';

/**
 * Who a principal's findings go to: the first non-empty tag of `config.owners.tagKeys`, else the
 * owner of the team named by the `config.owners.teamTagKey` tag, else the account default, else
 * null. Tag keys are matched ignoring case, as IAM does; a team missing from `config.owners.teams`
 * falls through to the account default.
 *
 * @example ownerOf(principal, config) // 'alice@example.com'
 */
export function ownerOf(principal: PrincipalRecord, config: AuditConfig): string | null {
  const { tagKeys, teamTagKey, teams, accountDefault } = config.owners;
  for (const key of tagKeys) {
    const value = findTag(principal.tags, key)?.value.trim();
    if (value) return value;
  }
  const team = findTag(principal.tags, teamTagKey)?.value.trim();
  if (team && Object.hasOwn(teams, team)) {
    const owner = teams[team];
    if (owner) return owner;
  }
  return accountDefault;
}
