import type { CredentialReportKeySlot, CredentialReportRow } from './credential-report.js';
import type {
  AccessKeyMetadata,
  AccessKeyRecord,
  AccountSummary,
  IamUserDetail,
  Inventory,
  PrincipalRecord,
  SigningCertRecord,
} from './inventory.js';
import type { SourceStatus } from './report.js';

/**
 * How far a key's `access_key_N_last_rotated` may be from its `CreateDate` in ListAccessKeys and
 * still be the same key. Both are written by IAM to the second; the margin absorbs rounding.
 */
export const KEY_MATCH_TOLERANCE_MS = 5_000;

export interface InventoryInput {
  readonly rows: readonly CredentialReportRow[];
  /** ListAccessKeys entries of every user; null when not available (no key ids then). */
  readonly accessKeys: readonly AccessKeyMetadata[] | null;
  /** Users with their tags (owners, exemptions); null when not available. */
  readonly users: readonly IamUserDetail[] | null;
  readonly accountSummary: AccountSummary | null;
  readonly reportGeneratedAt: Date | null;
  /** From STS or the caller; when null, read from the report's ARNs. */
  readonly accountId: string | null;
}

export interface InventoryResult {
  readonly inventory: Inventory;
  /** Extra `sources` entries: key-id matching, values that could not be read, disagreements. */
  readonly notes: SourceStatus[];
}

/**
 * Joins the credential report with ListAccessKeys (key ids), the users' tags and the account
 * summary into the inventory the checks and the incident correlator read.
 *
 * Key ids are joined to report slots by creation time (`access_key_N_last_rotated` is the key's
 * creation time), not by slot number: a user whose key 1 was deleted keeps the other key in
 * slot 2. When two keys of a user could be the same slot, the id stays null and a note says so.
 *
 * @example
 * const { inventory, notes } = buildInventory({ rows, accessKeys, users, accountSummary: null,
 *   reportGeneratedAt: null, accountId: null });
 */
export function buildInventory(input: InventoryInput): InventoryResult {
  const notes: SourceStatus[] = [];
  const tagsByUser = indexTags(input.users);
  const keysByUser = groupKeys(input.accessKeys);
  const matching = new KeyMatching();

  const principals = input.rows.map((row) =>
    toPrincipal(row, tagsByUser, keysByUser, input.accessKeys !== null, matching),
  );

  const keysById = new Map<string, AccessKeyRecord>();
  for (const principal of principals) {
    for (const key of principal.accessKeys) if (key.id !== null) keysById.set(key.id, key);
  }

  if (input.accessKeys !== null) notes.push(matching.note(input.accessKeys, keysById));
  const valueNote = unreadableValuesNote(input.rows);
  if (valueNote) notes.push(valueNote);
  const { accountId, note: accountNote } = resolveAccountId(input.accountId, input.rows);
  if (accountNote) notes.push(accountNote);
  const rootNote = crossCheckRoot(input.rows, input.accountSummary);
  if (rootNote) notes.push(rootNote);

  return {
    inventory: { accountId, reportGeneratedAt: input.reportGeneratedAt, principals, keysById },
    notes,
  };
}

function indexTags(
  users: readonly IamUserDetail[] | null,
): ReadonlyMap<string, Readonly<Record<string, string>>> {
  const byUser = new Map<string, Readonly<Record<string, string>>>();
  for (const user of users ?? []) {
    const tags: Record<string, string> = {};
    for (const tag of user.Tags ?? []) tags[tag.Key] = tag.Value;
    byUser.set(user.UserName, tags);
  }
  return byUser;
}

function groupKeys(
  keys: readonly AccessKeyMetadata[] | null,
): ReadonlyMap<string, readonly AccessKeyMetadata[]> {
  const byUser = new Map<string, AccessKeyMetadata[]>();
  for (const key of keys ?? []) {
    const list = byUser.get(key.UserName) ?? [];
    list.push(key);
    byUser.set(key.UserName, list);
  }
  return byUser;
}

function toPrincipal(
  row: CredentialReportRow,
  tagsByUser: ReadonlyMap<string, Readonly<Record<string, string>>>,
  keysByUser: ReadonlyMap<string, readonly AccessKeyMetadata[]>,
  haveKeyList: boolean,
  matching: KeyMatching,
): PrincipalRecord {
  const slots = row.accessKeys.filter(holdsKey);
  // Root's keys are not in ListAccessKeys of any IAM user, so they never get an id from it.
  const listed = row.isRoot ? [] : (keysByUser.get(row.user) ?? []);
  const ids = haveKeyList && !row.isRoot ? matching.match(row.user, slots, listed) : new Map();
  const accessKeys: AccessKeyRecord[] = slots.map((slot) => {
    const listedKey = ids.get(slot.slot);
    return {
      userName: row.user,
      slot: slot.slot,
      id: listedKey?.AccessKeyId ?? null,
      status: statusOf(slot, listedKey),
      createdAt: slot.lastRotated.value,
      lastUsed: slot.lastUsed,
      lastUsedRegion: slot.lastUsedRegion,
      lastUsedService: slot.lastUsedService,
    };
  });
  const signingCerts: SigningCertRecord[] = row.certs
    .filter((cert) => cert.active || cert.lastRotated.value !== null)
    .map((cert) => ({ slot: cert.slot, active: cert.active, lastRotated: cert.lastRotated.value }));
  return {
    type: row.isRoot ? 'Root' : 'IAMUser',
    name: row.user,
    arn: row.arn === '' ? null : row.arn,
    createdAt: row.userCreationTime.value,
    passwordEnabled: row.passwordEnabled,
    passwordLastUsed: row.passwordLastUsed,
    passwordLastChanged: row.passwordLastChanged,
    mfaActive: row.mfaActive,
    accessKeys,
    signingCerts,
    tags: row.isRoot ? {} : (tagsByUser.get(row.user) ?? {}),
  };
}

/** A slot holds a key when it is active, has a creation time, or reports a use. */
function holdsKey(slot: CredentialReportKeySlot): boolean {
  return slot.active || slot.lastRotated.value !== null || slot.lastUsed.value !== null;
}

/**
 * ListAccessKeys is read after the credential report (which can be four hours old), so its
 * status is the fresher one: a key deactivated since the report counts as Inactive.
 */
function statusOf(
  slot: CredentialReportKeySlot,
  listed: AccessKeyMetadata | undefined,
): 'Active' | 'Inactive' {
  if (listed?.Status === 'Active') return 'Active';
  if (listed?.Status === 'Inactive') return 'Inactive';
  return slot.active ? 'Active' : 'Inactive';
}

/** Joins ListAccessKeys entries to report slots by creation time and counts the outcome. */
class KeyMatching {
  private slotsSeen = 0;
  private matched = 0;
  private ambiguous: string[] = [];
  private unmatchedSlots: string[] = [];
  private undated: string[] = [];
  private statusChanged: string[] = [];

  public match(
    userName: string,
    slots: readonly CredentialReportKeySlot[],
    listed: readonly AccessKeyMetadata[],
  ): Map<1 | 2, AccessKeyMetadata> {
    const result = new Map<1 | 2, AccessKeyMetadata>();
    const nearCount = new Map<1 | 2, number>();
    const resolved = new Map<1 | 2, AccessKeyMetadata | undefined>();
    for (const slot of slots) {
      const created = slot.lastRotated.value;
      const near =
        created === null
          ? []
          : listed.filter((key) => {
              const listedAt = Date.parse(key.CreateDate);
              return (
                !Number.isNaN(listedAt) &&
                Math.abs(listedAt - created.getTime()) <= KEY_MATCH_TOLERANCE_MS
              );
            });
      nearCount.set(slot.slot, near.length);
      resolved.set(slot.slot, disambiguateByStatus(slot, near));
    }
    for (const slot of slots) {
      this.slotsSeen += 1;
      const label = `${userName} key ${slot.slot}`;
      const chosen = resolved.get(slot.slot);
      // Both slots pointing at one listed key: neither can be trusted.
      const clash =
        chosen !== undefined &&
        slots.some((other) => other.slot !== slot.slot && resolved.get(other.slot) === chosen);
      if (chosen === undefined || clash) {
        if (slot.lastRotated.value === null) this.undated.push(label);
        else if (clash || (nearCount.get(slot.slot) ?? 0) > 1) this.ambiguous.push(label);
        else this.unmatchedSlots.push(label);
        continue;
      }
      result.set(slot.slot, chosen);
      this.matched += 1;
      const reportStatus = slot.active ? 'Active' : 'Inactive';
      if (chosen.Status !== reportStatus) {
        this.statusChanged.push(`${label} (${reportStatus} in the report, ${chosen.Status} now)`);
      }
    }
    return result;
  }

  public note(
    listed: readonly AccessKeyMetadata[],
    keysById: ReadonlyMap<string, AccessKeyRecord>,
  ): SourceStatus {
    const notInReport = listed.filter((key) => !keysById.has(key.AccessKeyId)).length;
    const parts = [`${this.matched} of ${this.slotsSeen} keys matched to an id`];
    if (this.ambiguous.length > 0) {
      parts.push(
        `${plural(this.ambiguous.length, 'key')} left without an id because keys created within ${
          KEY_MATCH_TOLERANCE_MS / 1000
        } s of each other cannot be told apart (${list(this.ambiguous)})`,
      );
    }
    if (this.unmatchedSlots.length > 0) {
      parts.push(
        `${plural(this.unmatchedSlots.length, 'key')} of the report not in the key list, perhaps deleted since the report was generated (${list(this.unmatchedSlots)})`,
      );
    }
    if (this.undated.length > 0) {
      parts.push(
        `${plural(this.undated.length, 'key')} without a readable creation time in the report, which is what joins a key to its id (${list(this.undated)})`,
      );
    }
    if (notInReport > 0) {
      parts.push(
        `${plural(notInReport, 'listed key')} not in the report, perhaps created since it was generated`,
      );
    }
    if (this.statusChanged.length > 0) {
      parts.push(
        `${plural(this.statusChanged.length, 'key')} changed status since the report, the current status is used (${list(this.statusChanged)})`,
      );
    }
    const clean =
      this.ambiguous.length === 0 && this.unmatchedSlots.length === 0 && this.undated.length === 0;
    return {
      name: 'iam-key-ids',
      status: clean ? 'ok' : 'degraded',
      detail: `${parts.join('; ')}.`,
    };
  }
}

/** Two keys created in the same few seconds: the report's active flag may still tell them apart. */
function disambiguateByStatus(
  slot: CredentialReportKeySlot,
  near: readonly AccessKeyMetadata[],
): AccessKeyMetadata | undefined {
  if (near.length === 1) return near[0];
  if (near.length === 0) return undefined;
  const wanted = slot.active ? 'Active' : 'Inactive';
  const same = near.filter((key) => key.Status === wanted);
  return same.length === 1 ? same[0] : undefined;
}

function unreadableValuesNote(rows: readonly CredentialReportRow[]): SourceStatus | null {
  const problems = rows.flatMap((row) => row.problems);
  if (problems.length === 0) return null;
  const shown = problems
    .slice(0, 5)
    .map((p) => `line ${p.line} ${p.column} ${JSON.stringify(p.value.slice(0, 40))}`);
  const more = problems.length > shown.length ? `, and ${problems.length - shown.length} more` : '';
  return {
    name: 'iam-credential-report-values',
    status: 'degraded',
    detail: `${plural(problems.length, 'date value')} could not be read and ${
      problems.length === 1 ? 'was' : 'were'
    } treated as unknown, so checks that need ${problems.length === 1 ? 'it' : 'them'} did not judge those credentials: ${shown.join('; ')}${more}.`,
    itemsSkipped: problems.length,
  };
}

const IAM_ARN_ACCOUNT = /^arn:aws[a-z-]*:iam::(\d{12}):/;

function resolveAccountId(
  given: string | null,
  rows: readonly CredentialReportRow[],
): { accountId: string | null; note: SourceStatus | null } {
  const fromArns = [
    ...new Set(
      rows.map((row) => IAM_ARN_ACCOUNT.exec(row.arn)?.[1]).filter((id) => id !== undefined),
    ),
  ];
  const accountId = given ?? fromArns[0] ?? null;
  const others = fromArns.filter((id) => id !== accountId);
  if (others.length === 0) return { accountId, note: null };
  return {
    accountId,
    note: {
      name: 'iam-account-id',
      status: 'degraded',
      detail: `the credential report names account${others.length > 1 ? 's' : ''} ${others.join(', ')} besides ${
        accountId ?? 'none'
      }: it may come from another account than the rest of the data.`,
    },
  };
}

/** The account summary is read live; a disagreement means the report is stale or mixed up. */
function crossCheckRoot(
  rows: readonly CredentialReportRow[],
  summary: AccountSummary | null,
): SourceStatus | null {
  const root = rows.find((row) => row.isRoot);
  if (!root) {
    if (rows.length === 0) return null;
    return {
      name: 'iam-root-cross-check',
      status: 'degraded',
      detail: 'the credential report has no <root_account> row, so the root checks did not run.',
    };
  }
  if (summary === null) return null;
  const disagreements: string[] = [];
  // A slot with a creation time holds a key, active or not, as AccountAccessKeysPresent counts.
  const reportKeys = root.accessKeys.some((slot) => slot.active || slot.lastRotated.value !== null);
  const summaryKeys = summary.AccountAccessKeysPresent;
  if (summaryKeys !== undefined && summaryKeys > 0 !== reportKeys) {
    disagreements.push(
      `the account summary says root ${summaryKeys > 0 ? 'has' : 'has no'} access keys (AccountAccessKeysPresent=${summaryKeys}) but the credential report shows ${
        reportKeys ? 'one' : 'none'
      }`,
    );
  }
  const summaryMfa = summary.AccountMFAEnabled;
  if (summaryMfa !== undefined && summaryMfa > 0 !== root.mfaActive) {
    disagreements.push(
      `the account summary says root MFA is ${summaryMfa > 0 ? 'on' : 'off'} (AccountMFAEnabled=${summaryMfa}) but the credential report says ${
        root.mfaActive ? 'on' : 'off'
      }`,
    );
  }
  if (disagreements.length === 0) return null;
  return {
    name: 'iam-root-cross-check',
    status: 'degraded',
    detail: `${disagreements.join('; ')}; the report can be up to 4 hours old, so the root findings may be out of date.`,
  };
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function list(items: readonly string[]): string {
  const shown = items.slice(0, 5).join(', ');
  return items.length > 5 ? `${shown}, and ${items.length - 5} more` : shown;
}
