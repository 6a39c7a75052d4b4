import {
  GetAccessKeyLastUsedCommand,
  GetAccountAuthorizationDetailsCommand,
  GetAccountSummaryCommand,
  type IAMClient,
  ListAccessKeysCommand,
  ListAccountAliasesCommand,
} from '@aws-sdk/client-iam';
import { compareText } from '../core/compare-text.js';
import type { AccessKeyMetadata, AccountSummary, IamUserDetail } from '../core/inventory.js';
import { errorCode, toCredentialHealthError } from './aws-errors.js';

/**
 * IAM reads beside the credential report: alias, account summary, user tags, key ids.
 * Each returns the shape the AWS CLI prints, so the live and the offline audit share one parser.
 */

/** The account alias (an account has at most one), or null. */
export async function getAccountAlias(iam: IAMClient): Promise<string | null> {
  try {
    const result = await iam.send(new ListAccountAliasesCommand({}));
    return result.AccountAliases?.[0] ?? null;
  } catch (error) {
    throw toCredentialHealthError(error, 'iam:ListAccountAliases');
  }
}

/** `GetAccountSummary` → `SummaryMap`. */
export async function getAccountSummary(iam: IAMClient): Promise<AccountSummary> {
  try {
    const result = await iam.send(new GetAccountSummaryCommand({}));
    return { ...(result.SummaryMap ?? {}) };
  } catch (error) {
    throw toCredentialHealthError(error, 'iam:GetAccountSummary');
  }
}

/**
 * Every user with its tags, from `GetAccountAuthorizationDetails --filter User`: up to 1,000
 * users a page with their tags, where ListUsers + ListUserTags would cost one call per user.
 */
export async function listUserDetails(iam: IAMClient, pageSize = 1000): Promise<IamUserDetail[]> {
  const users: IamUserDetail[] = [];
  let marker: string | undefined;
  do {
    let page: Awaited<ReturnType<typeof sendDetails>>;
    try {
      page = await sendDetails(iam, marker, pageSize);
    } catch (error) {
      throw toCredentialHealthError(error, 'iam:GetAccountAuthorizationDetails');
    }
    for (const user of page.UserDetailList ?? []) {
      if (user.UserName === undefined) continue;
      users.push({
        UserName: user.UserName,
        ...(user.Arn === undefined ? {} : { Arn: user.Arn }),
        ...(user.UserId === undefined ? {} : { UserId: user.UserId }),
        ...(user.CreateDate === undefined ? {} : { CreateDate: user.CreateDate.toISOString() }),
        Tags: (user.Tags ?? []).flatMap((tag) =>
          tag.Key === undefined ? [] : [{ Key: tag.Key, Value: tag.Value ?? '' }],
        ),
      });
    }
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker !== undefined);
  return users;
}

function sendDetails(iam: IAMClient, marker: string | undefined, pageSize: number) {
  return iam.send(
    new GetAccountAuthorizationDetailsCommand({
      Filter: ['User'],
      MaxItems: pageSize,
      ...(marker === undefined ? {} : { Marker: marker }),
    }),
  );
}

/** Keys of the given users, with their ids; users deleted since the report are skipped. */
export interface AccessKeyListing {
  readonly keys: AccessKeyMetadata[];
  /** Users IAM no longer knows (deleted after the credential report was generated). */
  readonly missingUsers: string[];
}

/**
 * `ListAccessKeys` for each named user (a user has at most two keys: one page each), a few at
 * a time so a large account does not trip IAM's rate limit.
 */
export async function listAccessKeysFor(
  iam: IAMClient,
  userNames: readonly string[],
  concurrency = 4,
): Promise<AccessKeyListing> {
  const keys: AccessKeyMetadata[] = [];
  const missingUsers: string[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < userNames.length) {
      const userName = userNames[next];
      next += 1;
      if (userName === undefined) continue;
      try {
        let marker: string | undefined;
        do {
          const page = await iam.send(
            new ListAccessKeysCommand({
              UserName: userName,
              ...(marker === undefined ? {} : { Marker: marker }),
            }),
          );
          for (const key of page.AccessKeyMetadata ?? []) {
            if (key.AccessKeyId === undefined) continue;
            keys.push({
              UserName: key.UserName ?? userName,
              AccessKeyId: key.AccessKeyId,
              Status: key.Status ?? 'Inactive',
              CreateDate: key.CreateDate?.toISOString() ?? '',
            });
          }
          marker = page.IsTruncated ? page.Marker : undefined;
        } while (marker !== undefined);
      } catch (error) {
        if (errorCode(error) === 'NoSuchEntity' || errorCode(error) === 'NoSuchEntityException') {
          missingUsers.push(userName);
          continue;
        }
        throw toCredentialHealthError(error, 'iam:ListAccessKeys');
      }
    }
  };
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(concurrency, userNames.length)) }, worker),
  );
  keys.sort(
    (a, b) => compareText(a.UserName, b.UserName) || compareText(a.CreateDate, b.CreateDate),
  );
  return { keys, missingUsers: missingUsers.sort() };
}

/**
 * What GetAccessKeyLastUsed says about one key id: its user; `not-found` (NoSuchEntity: no
 * such key in this account, deleted or never ours); or `denied` (AccessDenied: a key of another
 * account, or this principal may not call it: only `sts:GetAccessKeyInfo` tells which).
 */
export type AccessKeyOwnerLookup =
  | { readonly kind: 'user'; readonly userName: string }
  | { readonly kind: 'not-found' }
  | { readonly kind: 'denied'; readonly message: string };

/**
 * The user a key id belongs to, by `GetAccessKeyLastUsed`, with "not this account's" and "not
 * allowed" told apart, so a missing permission is not mistaken for a foreign key.
 *
 * @throws CredentialHealthError for any other failure (throttling, network).
 */
export async function lookUpAccessKeyOwner(
  iam: IAMClient,
  accessKeyId: string,
): Promise<AccessKeyOwnerLookup> {
  try {
    const result = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: accessKeyId }));
    return result.UserName === undefined || result.UserName === ''
      ? { kind: 'not-found' }
      : { kind: 'user', userName: result.UserName };
  } catch (error) {
    const code = errorCode(error);
    if (code === 'NoSuchEntity' || code === 'NoSuchEntityException') return { kind: 'not-found' };
    if (code === 'AccessDenied' || code === 'AccessDeniedException') {
      const text = error instanceof Error ? error.message : String(error);
      return { kind: 'denied', message: text.split('\n')[0]?.slice(0, 200) ?? code };
    }
    throw toCredentialHealthError(error, 'iam:GetAccessKeyLastUsed');
  }
}
