/**
 * The IAM inventory the checks and the incident correlator read: the credential report's rows,
 * joined with key ids (ListAccessKeys), user tags and the account summary.
 * Built by `buildInventory` (inventory-builder.ts); dates are `Date`, unknowns are `null`.
 */

/** `aws iam list-access-keys` → `AccessKeyMetadata[]` entries (the users' lists merged). */
export interface AccessKeyMetadata {
  readonly UserName: string;
  readonly AccessKeyId: string;
  readonly Status: 'Active' | 'Inactive' | (string & {});
  /** ISO-8601 as the AWS CLI prints it. */
  readonly CreateDate: string;
}

/** One user of `aws iam get-account-authorization-details --filter User` → `UserDetailList`. */
export interface IamUserDetail {
  readonly UserName: string;
  readonly Arn?: string;
  readonly UserId?: string;
  readonly CreateDate?: string;
  readonly Tags?: readonly { readonly Key: string; readonly Value: string }[];
}

/** `aws iam get-account-summary` → `SummaryMap` (only the keys we read are typed). */
export interface AccountSummary {
  readonly AccountAccessKeysPresent?: number;
  readonly AccountMFAEnabled?: number;
  readonly [key: string]: number | undefined;
}

/** How a credential-report date column was filled in. */
export type ReportDateState =
  /** A timestamp. */
  | 'date'
  /** `N/A`: never happened (never used, no password, no key). */
  | 'never'
  /** `no_information`: used before IAM started tracking (2014/2015). */
  | 'no_information'
  /** `not_supported` (root password columns). */
  | 'not_supported'
  /** `ERROR` or an unparsable value. */
  | 'error';

export interface ReportDate {
  readonly state: ReportDateState;
  readonly value: Date | null;
}

/** Why a key record has no id although a key list was read (see `AccessKeyRecord.idUnknown`). */
export type KeyIdUnknown = 'not-listed' | 'ambiguous' | 'undated';

export interface AccessKeyRecord {
  readonly userName: string;
  readonly slot: 1 | 2;
  /** From ListAccessKeys, joined to the slot by creation time; null when unknown. */
  readonly id: string | null;
  /**
   * Why `id` is null although a key list was read: `'not-listed'` when no listed key of the user
   * was created near the slot's creation time (the key was deleted since the report),
   * `'ambiguous'` when several listed keys could be this slot (created within seconds of each
   * other), `'undated'` when the report gives no creation time to join on. The key of an
   * ambiguous or undated slot may well exist. Absent when the id is known or no list was read.
   */
  readonly idUnknown?: KeyIdUnknown;
  readonly status: 'Active' | 'Inactive';
  /** `access_key_N_last_rotated`: the key's creation time. */
  readonly createdAt: Date | null;
  readonly lastUsed: ReportDate;
  readonly lastUsedRegion: string | null;
  readonly lastUsedService: string | null;
}

export interface SigningCertRecord {
  readonly slot: 1 | 2;
  readonly active: boolean;
  readonly lastRotated: Date | null;
}

export interface PrincipalRecord {
  readonly type: 'Root' | 'IAMUser';
  /** `<root_account>` for root, as in the report. */
  readonly name: string;
  readonly arn: string | null;
  readonly createdAt: Date | null;
  /** `password_enabled`; null for root (`not_supported`). */
  readonly passwordEnabled: boolean | null;
  readonly passwordLastUsed: ReportDate;
  readonly passwordLastChanged: ReportDate;
  readonly mfaActive: boolean;
  /** Only slots that hold a key (active or inactive) or report one as ever used. */
  readonly accessKeys: readonly AccessKeyRecord[];
  readonly signingCerts: readonly SigningCertRecord[];
  readonly tags: Readonly<Record<string, string>>;
}

export interface Inventory {
  readonly accountId: string | null;
  readonly reportGeneratedAt: Date | null;
  readonly principals: readonly PrincipalRecord[];
  /** Every key whose id is known, by id. */
  readonly keysById: ReadonlyMap<string, AccessKeyRecord>;
}
