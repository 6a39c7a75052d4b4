import type {
  CredentialReportCertSlot,
  CredentialReportKeySlot,
  CredentialReportProblem,
  CredentialReportRow,
} from './credential-report.js';
import type {
  AccessKeyMetadata,
  AccessKeyRecord,
  AccountSummary,
  IamUserDetail,
  Inventory,
  KeyIdUnknown,
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

  const principals: PrincipalRecord[] = [];
  const keysById = new Map<string, AccessKeyRecord>();
  for (const row of input.rows) {
    const principal = toPrincipal(row, tagsByUser, keysByUser, matching);
    principals.push(principal);
    const keys = principal.accessKeys;
    for (let index = 0; index < keys.length; index += 1) {
      const key = keys[index];
      if (key !== undefined && key.id !== null) keysById.set(key.id, key);
    }
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

/** What {@link mergeListedKeys} rebuilds the listed users' principals from. */
export interface ListedKeysInput {
  readonly rows: readonly CredentialReportRow[];
  readonly users: readonly IamUserDetail[] | null;
  readonly reportGeneratedAt: Date | null;
}

/**
 * Rebuilds the principals of the users whose keys were listed on demand (ListAccessKeys for a
 * few users, not every one) and merges them into `inventory`: their records get ids and current
 * status, every other principal stays as it was, and `keysById` gains the new ids. Root is never
 * rebuilt (its keys are not listed by user name). `relisted` is the inventory of only the listed
 * users, with its notes (the `iam-key-ids` note says how their keys were joined).
 *
 * @example
 * const { merged } = mergeListedKeys(inventory, { rows, users, reportGeneratedAt }, names, keys);
 */
export function mergeListedKeys(
  inventory: Inventory,
  input: ListedKeysInput,
  listedUsers: { has(userName: string): boolean },
  listed: readonly AccessKeyMetadata[],
): { merged: Inventory; relisted: InventoryResult } {
  const relisted = buildInventory({
    rows: input.rows.filter((row) => !row.isRoot && listedUsers.has(row.user)),
    accessKeys: listed,
    users: input.users,
    // The account summary was cross-checked with every row already.
    accountSummary: null,
    reportGeneratedAt: input.reportGeneratedAt,
    accountId: inventory.accountId,
  });
  const replaced = new Map(relisted.inventory.principals.map((p) => [p.name, p]));
  const merged: Inventory = {
    ...inventory,
    principals: inventory.principals.map((p) =>
      p.type === 'IAMUser' ? (replaced.get(p.name) ?? p) : p,
    ),
    keysById: new Map([...inventory.keysById, ...relisted.inventory.keysById]),
  };
  return { merged, relisted };
}

// Shared by every principal that has none: most users have no certificate, many no key or tag.
const NO_KEYS: readonly AccessKeyRecord[] = Object.freeze([]);
const NO_CERTS: readonly SigningCertRecord[] = Object.freeze([]);
const NO_TAGS: Readonly<Record<string, string>> = Object.freeze({});

function indexTags(
  users: readonly IamUserDetail[] | null,
): ReadonlyMap<string, Readonly<Record<string, string>>> {
  const byUser = new Map<string, Readonly<Record<string, string>>>();
  for (const user of users ?? []) {
    const list = user.Tags;
    if (list === undefined || list.length === 0) {
      byUser.set(user.UserName, NO_TAGS);
      continue;
    }
    const tags: Record<string, string> = {};
    for (const tag of list) tags[tag.Key] = tag.Value;
    byUser.set(user.UserName, tags);
  }
  return byUser;
}

/** A listed key with its CreateDate read once (NaN when it cannot be read). */
interface ListedKey {
  readonly key: AccessKeyMetadata;
  readonly createdAt: number;
}

/** Keys by user; null when there is no key list (then no key gets an id). */
function groupKeys(
  keys: readonly AccessKeyMetadata[] | null,
): ReadonlyMap<string, readonly ListedKey[]> | null {
  if (keys === null) return null;
  const byUser = new Map<string, ListedKey[]>();
  for (const key of keys) {
    const listed = { key, createdAt: Date.parse(key.CreateDate) };
    const list = byUser.get(key.UserName);
    if (list === undefined) byUser.set(key.UserName, [listed]);
    else list.push(listed);
  }
  return byUser;
}

function toPrincipal(
  row: CredentialReportRow,
  tagsByUser: ReadonlyMap<string, Readonly<Record<string, string>>>,
  keysByUser: ReadonlyMap<string, readonly ListedKey[]> | null,
  matching: KeyMatching,
): PrincipalRecord {
  // Indexes, not destructuring: this runs once per user, and destructuring iterates.
  const slot1 = row.accessKeys[0];
  const slot2 = row.accessKeys[1];
  const has1 = holdsKey(slot1);
  const has2 = holdsKey(slot2);
  let accessKeys = NO_KEYS;
  if (has1 || has2) {
    // The slots that hold a key, in order: `first` always, `second` when both do.
    const first = has1 ? slot1 : slot2;
    const second = has1 && has2 ? slot2 : null;
    // Root's keys are not in ListAccessKeys of any IAM user, so they never get an id from it.
    if (keysByUser !== null && !row.isRoot) {
      matching.match(row.user, first, second, keysByUser.get(row.user) ?? NO_LISTED_KEYS);
    } else {
      matching.noMatch();
    }
    const firstKey = keyRecord(row.user, first, matching.first, matching.firstUnknown);
    accessKeys =
      second === null
        ? [firstKey]
        : [firstKey, keyRecord(row.user, second, matching.second, matching.secondUnknown)];
  }
  const cert1 = row.certs[0];
  const cert2 = row.certs[1];
  const signingCerts =
    holdsCert(cert1) || holdsCert(cert2)
      ? row.certs.filter(holdsCert).map(
          (cert): SigningCertRecord => ({
            slot: cert.slot,
            active: cert.active,
            lastRotated: cert.lastRotated.value,
          }),
        )
      : NO_CERTS;
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
    tags: row.isRoot ? NO_TAGS : (tagsByUser.get(row.user) ?? NO_TAGS),
  };
}

const NO_LISTED_KEYS: readonly ListedKey[] = Object.freeze([]);

function keyRecord(
  userName: string,
  slot: CredentialReportKeySlot,
  listedKey: AccessKeyMetadata | undefined,
  idUnknown: KeyIdUnknown | undefined,
): AccessKeyRecord {
  const record: AccessKeyRecord = {
    userName,
    slot: slot.slot,
    id: listedKey?.AccessKeyId ?? null,
    status: statusOf(slot, listedKey),
    createdAt: slot.lastRotated.value,
    lastUsed: slot.lastUsed,
    lastUsedRegion: slot.lastUsedRegion,
    lastUsedService: slot.lastUsedService,
  };
  // Only the few keys without an id carry the reason, so the common record keeps its shape.
  return idUnknown === undefined ? record : { ...record, idUnknown };
}

/** A slot holds a key when it is active, has a creation time, or reports a use. */
function holdsKey(slot: CredentialReportKeySlot): boolean {
  return slot.active || slot.lastRotated.value !== null || slot.lastUsed.value !== null;
}

/** A certificate slot is listed when it is active or has a rotation time. */
function holdsCert(cert: CredentialReportCertSlot): boolean {
  return cert.active || cert.lastRotated.value !== null;
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

  /** The listed key of the last `match` for its first and second slot; undefined for none. */
  public first: AccessKeyMetadata | undefined = undefined;
  public second: AccessKeyMetadata | undefined = undefined;
  /** Why `first` / `second` is undefined after a `match`; undefined when it is set or after `noMatch`. */
  public firstUnknown: KeyIdUnknown | undefined = undefined;
  public secondUnknown: KeyIdUnknown | undefined = undefined;
  /** Why the last `record` kept no key. */
  private lastUnknown: KeyIdUnknown | undefined = undefined;

  /**
   * Joins a user's slots that hold a key (`second` null when only one does) to its listed
   * keys; the result is in `first` and `second` (fields, not a new array for every user).
   */
  public match(
    userName: string,
    slot1: CredentialReportKeySlot,
    slot2: CredentialReportKeySlot | null,
    listed: readonly ListedKey[],
  ): void {
    const near1 = nearKeys(slot1, listed);
    const near2 = slot2 ? nearKeys(slot2, listed) : NO_LISTED;
    const chosen1 = disambiguateByStatus(slot1, near1);
    const chosen2 = slot2 ? disambiguateByStatus(slot2, near2) : undefined;
    // Both slots pointing at one listed key: neither can be trusted.
    const clash = chosen1 !== undefined && chosen1 === chosen2;
    this.first = this.record(userName, slot1, chosen1, near1.length, clash);
    this.firstUnknown = this.lastUnknown;
    if (slot2) {
      this.second = this.record(userName, slot2, chosen2, near2.length, clash);
      this.secondUnknown = this.lastUnknown;
    } else {
      this.second = undefined;
      this.secondUnknown = undefined;
    }
  }

  /** No key list (or root): no slot gets an id, and nothing is counted. */
  public noMatch(): void {
    this.first = undefined;
    this.second = undefined;
    this.firstUnknown = undefined;
    this.secondUnknown = undefined;
  }

  /** Counts the outcome for one slot; the listed key it keeps, if any. */
  private record(
    userName: string,
    slot: CredentialReportKeySlot,
    chosen: AccessKeyMetadata | undefined,
    nearCount: number,
    clash: boolean,
  ): AccessKeyMetadata | undefined {
    this.slotsSeen += 1;
    if (chosen === undefined || clash) {
      const label = `${userName} key ${slot.slot}`;
      if (slot.lastRotated.value === null) {
        this.undated.push(label);
        this.lastUnknown = 'undated';
      } else if (clash || nearCount > 1) {
        this.ambiguous.push(label);
        this.lastUnknown = 'ambiguous';
      } else {
        this.unmatchedSlots.push(label);
        this.lastUnknown = 'not-listed';
      }
      return undefined;
    }
    this.lastUnknown = undefined;
    this.matched += 1;
    const reportStatus = slot.active ? 'Active' : 'Inactive';
    if (chosen.Status !== reportStatus) {
      this.statusChanged.push(
        `${userName} key ${slot.slot} (${reportStatus} in the report, ${chosen.Status} now)`,
      );
    }
    return chosen;
  }

  public note(
    listed: readonly AccessKeyMetadata[],
    keysById: ReadonlyMap<string, AccessKeyRecord>,
  ): SourceStatus {
    let notInReport = 0;
    for (const key of listed) if (!keysById.has(key.AccessKeyId)) notInReport += 1;
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

/** The listed keys created within the tolerance of the slot's creation time. */
function nearKeys(
  slot: CredentialReportKeySlot,
  listed: readonly ListedKey[],
): readonly AccessKeyMetadata[] {
  const created = slot.lastRotated.value;
  if (created === null || listed.length === 0) return NO_LISTED;
  const time = created.getTime();
  let near: AccessKeyMetadata[] | null = null;
  for (const { key, createdAt } of listed) {
    // NaN (a CreateDate that cannot be read) is never near.
    if (Math.abs(createdAt - time) > KEY_MATCH_TOLERANCE_MS || Number.isNaN(createdAt)) continue;
    if (near === null) near = [key];
    else near.push(key);
  }
  return near ?? NO_LISTED;
}

const NO_LISTED: readonly AccessKeyMetadata[] = Object.freeze([]);

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
  const problems: CredentialReportProblem[] = [];
  for (const row of rows) if (row.problems.length > 0) problems.push(...row.problems);
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
const AWS_IAM_PREFIX = 'arn:aws:iam::';

/** True when `arn` starts with `arn:aws:iam::<accountId>:` (what IAM_ARN_ACCOUNT would read). */
function sameAccount(arn: string, accountId: string): boolean {
  return (
    accountId !== '' &&
    arn.startsWith(AWS_IAM_PREFIX) &&
    arn.startsWith(accountId, AWS_IAM_PREFIX.length) &&
    arn.charCodeAt(AWS_IAM_PREFIX.length + accountId.length) === 58 // :
  );
}

function resolveAccountId(
  given: string | null,
  rows: readonly CredentialReportRow[],
): { accountId: string | null; note: SourceStatus | null } {
  const seen = new Set<string>();
  let last = '';
  for (const row of rows) {
    // Nearly every ARN names the account the one before named: `arn:aws:iam::<last>:` is
    // compared in place, without a regex match for each row.
    if (sameAccount(row.arn, last)) continue;
    const id = IAM_ARN_ACCOUNT.exec(row.arn)?.[1];
    if (id === undefined) continue;
    seen.add(id);
    last = id;
  }
  const fromArns = [...seen];
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
