import type { IAMClient } from '@aws-sdk/client-iam';
import type { STSClient } from '@aws-sdk/client-sts';
import type { CallCounter } from '../../adapters/call-counter.js';
import {
  type CredentialReportOptions,
  fetchCredentialReport,
} from '../../adapters/iam-credential-report.js';
import {
  getAccountAlias,
  getAccountSummary,
  listAccessKeysFor,
  listUserDetails,
  lookUpAccessKeyOwner,
} from '../../adapters/iam-inventory.js';
import { getAccessKeyAccount, getCallerIdentity } from '../../adapters/sts.js';
import { parseCredentialReport } from '../../core/credential-report.js';
import { describeError, RequiredSourceError } from '../../core/errors.js';
import type { AccessKeyMetadata, AccountSummary, IamUserDetail } from '../../core/inventory.js';
import { maskAccessKeyId } from '../../core/mask.js';
import type {
  AccountInfo,
  AuditSources,
  CredentialReportInput,
  SourceResult,
} from '../../core/sources.js';
import { budgeted, type TimeBudget, TimeBudgetExceededError } from './time-budget.js';

/** What the IAM and STS sources need: two clients, and the run's counter and budget. */
export interface IamSourcesDeps {
  readonly iam: IAMClient;
  readonly sts: STSClient;
  /** The counter the clients count into; each source reports its share. */
  readonly counter: CallCounter;
  /** The account id when already known (the CLI checks the credentials first). */
  readonly accountId?: string | null;
  /** Users a GetAccountAuthorizationDetails page. @default 1000 (the API's maximum) */
  readonly usersPageSize?: number;
  readonly credentialReport?: CredentialReportOptions;
  /**
   * Stop reading when this runs out (a Lambda's remaining time less a margin): every wait the
   * adapters make is bounded by it, and an optional source not yet read is skipped. Unbounded
   * when absent.
   */
  readonly timeBudget?: TimeBudget;
}

/**
 * Every source of the AuditSources port but the CloudTrail and workload-log streams, with the
 * live-only ones always there. A function that reads IAM alone (the key scan) holds this type,
 * so reading a stream it built no client for does not compile.
 */
export type IamAuditSources = Omit<AuditSources, 'cloudTrail' | 'workloadLogs'> &
  Required<Pick<AuditSources, 'existingAccessKeyIds' | 'accessKeysOf' | 'accessKeyOwners'>>;

/** The IAM and STS sources of one run, and the account id they found, for the streams. */
export interface IamSources {
  readonly sources: IamAuditSources;
  /**
   * The account id, asked of STS once a run (unless given): the CloudTrail stream needs it to
   * find the trail's folder, and shares this answer rather than asking again.
   */
  readonly accountId: () => Promise<string | null>;
}

/**
 * The IAM and STS half of the live sources: reads only, and each source says how many API
 * calls it made (`apiCalls`). `runAudit` reads the sources one after the other, so each
 * source's share is the counter's growth while it ran. The credential report and the keys
 * listed are read once a run and shared by every source that needs them.
 */
export function createIamSources(deps: IamSourcesDeps): IamSources {
  const counted = async <T>(read: () => Promise<T>): Promise<{ value: T; apiCalls: number }> => {
    const before = deps.counter.total();
    const value = await read();
    return { value, apiCalls: deps.counter.total() - before };
  };

  let accountId: Promise<string | null> | undefined =
    deps.accountId === undefined ? undefined : Promise.resolve(deps.accountId);
  const knownAccountId = (): Promise<string | null> => {
    accountId ??= getCallerIdentity(deps.sts).then((identity) => identity.account || null);
    return accountId;
  };

  const budget = deps.timeBudget;
  /** An optional source is not started once the budget has run out. */
  const guard = (what: string): void => {
    if (budget?.expired()) throw new TimeBudgetExceededError(budget.deadline, `${what} not read`);
  };

  let report: Promise<CredentialReportInput> | undefined;
  const credentialReport = (): Promise<CredentialReportInput> => {
    report ??= counted(() =>
      fetchCredentialReport(deps.iam, budgeted(deps.credentialReport ?? {}, budget)),
    ).then(
      ({ value, apiCalls }) => ({
        csv: value.csv,
        generatedAt: value.generatedAt,
        detail: `IAM GetCredentialReport${value.generatedAt ? `, generated ${value.generatedAt.toISOString()}` : ''}`,
        apiCalls,
      }),
      (error: unknown) => {
        if (!(error instanceof TimeBudgetExceededError)) throw error;
        throw new RequiredSourceError(
          `IAM credential report not ready before the run's ${error.message}; the audit needs it, try again later`,
          { cause: error },
        );
      },
    );
    return report;
  };

  /** Keys listed during this run, by user: live, so they also confirm what still exists. */
  const listedKeys = new Map<string, AccessKeyMetadata[]>();
  const listKeys = async (userNames: readonly string[]) => {
    const wanted = userNames.filter((name) => !listedKeys.has(name));
    const listing = await listAccessKeysFor(deps.iam, wanted);
    for (const name of wanted) listedKeys.set(name, []);
    for (const key of listing.keys) listedKeys.get(key.UserName)?.push(key);
    return listing;
  };

  const sources: IamAuditSources = {
    async account(): Promise<SourceResult<AccountInfo>> {
      guard('account');
      const { value, apiCalls } = await counted(async () => ({
        id: await knownAccountId(),
        alias: await getAccountAlias(deps.iam),
      }));
      return {
        status: 'ok',
        detail: 'STS GetCallerIdentity and IAM ListAccountAliases',
        value,
        apiCalls,
      };
    },

    credentialReport,

    async accessKeys(): Promise<SourceResult<readonly AccessKeyMetadata[]>> {
      guard('access keys');
      const { csv } = await credentialReport();
      const users = usersWithKeys(csv);
      const { value, apiCalls } = await counted(() => listKeys(users));
      const gone = value.missingUsers.length;
      return {
        status: 'ok',
        detail: `IAM ListAccessKeys for the ${users.length} users whose report row shows a key${
          gone > 0 ? ` (${gone} deleted since the report)` : ''
        }`,
        value: value.keys,
        apiCalls,
      };
    },

    async users(): Promise<SourceResult<readonly IamUserDetail[]>> {
      guard('users');
      const { value, apiCalls } = await counted(() =>
        listUserDetails(deps.iam, deps.usersPageSize),
      );
      return {
        status: 'ok',
        detail: `IAM GetAccountAuthorizationDetails (users and their tags): ${value.length} users`,
        value,
        apiCalls,
      };
    },

    async accountSummary(): Promise<SourceResult<AccountSummary>> {
      guard('account summary');
      const { value, apiCalls } = await counted(() => getAccountSummary(deps.iam));
      return { status: 'ok', detail: 'IAM GetAccountSummary', value, apiCalls };
    },

    async existingAccessKeyIds(
      userNames: readonly string[],
    ): Promise<SourceResult<ReadonlySet<string>>> {
      guard('key confirmation');
      const { apiCalls } = await counted(() => listKeys(userNames));
      const ids = new Set<string>();
      for (const name of userNames)
        for (const key of listedKeys.get(name) ?? []) ids.add(key.AccessKeyId);
      return {
        status: 'ok',
        detail: `IAM ListAccessKeys now, for the ${userNames.length} users with key findings`,
        value: ids,
        apiCalls,
      };
    },

    async accessKeysOf(
      userNames: readonly string[],
    ): Promise<SourceResult<readonly AccessKeyMetadata[]>> {
      guard('access keys');
      const { value, apiCalls } = await counted(() => listKeys(userNames));
      const wanted = new Set(userNames);
      const gone = value.missingUsers.filter((name) => wanted.has(name)).length;
      return {
        status: 'ok',
        detail: `IAM ListAccessKeys now, for the ${userNames.length} users whose findings need a key id${
          gone > 0 ? ` (${gone} deleted since the report)` : ''
        }`,
        value: userNames.flatMap((name) => listedKeys.get(name) ?? []),
        apiCalls,
      };
    },

    async accessKeyOwners(
      accessKeyIds: readonly string[],
    ): Promise<SourceResult<ReadonlyMap<string, string | null>>> {
      guard('key owners');
      const ours = await knownAccountId();
      const { value, apiCalls } = await counted(() =>
        findKeyOwners(deps.iam, deps.sts, accessKeyIds, ours),
      );
      const problems =
        value.failures.length > 0 ? `; not looked up: ${value.failures.join(', ')}` : '';
      const foreign =
        value.foreign.length > 0 ? `; keys of other accounts: ${value.foreign.join(', ')}` : '';
      return {
        status: value.failures.length > 0 ? 'degraded' : 'ok',
        detail: `IAM GetAccessKeyLastUsed for ${accessKeyIds.length} key id(s)${foreign}${problems}`,
        value: value.owners,
        apiCalls,
      };
    },
  };
  return { sources, accountId: knownAccountId };
}

/** What {@link findKeyOwners} found: an owner (or null) per id it could settle. */
interface KeyOwners {
  readonly owners: Map<string, string | null>;
  /** Masked ids of other accounts, with the account. */
  readonly foreign: string[];
  /** Masked ids that could not be looked up, with why. */
  readonly failures: string[];
}

/**
 * GetAccessKeyLastUsed for each id, a few at a time. NoSuchEntity is "no key of ours" (null);
 * AccessDenied is only that when `sts:GetAccessKeyInfo` names another account: for a key of
 * this account it means the permission is missing, and the id stays unresolved (never dropped).
 */
async function findKeyOwners(
  iam: IAMClient,
  sts: STSClient,
  accessKeyIds: readonly string[],
  ourAccount: string | null,
  concurrency = 4,
): Promise<KeyOwners> {
  const result: KeyOwners = { owners: new Map(), foreign: [], failures: [] };
  const accountOf = async (id: string): Promise<string | null> => {
    try {
      return await getAccessKeyAccount(sts, id);
    } catch {
      return null;
    }
  };
  const settle = async (id: string): Promise<void> => {
    try {
      const found = await lookUpAccessKeyOwner(iam, id);
      if (found.kind === 'user') {
        result.owners.set(id, found.userName);
        return;
      }
      const account = await accountOf(id);
      const elsewhere = account !== null && ourAccount !== null && account !== ourAccount;
      if (elsewhere) result.foreign.push(`${maskAccessKeyId(id)} (account ${account})`);
      if (found.kind === 'not-found' || elsewhere) {
        result.owners.set(id, null);
        return;
      }
      result.failures.push(
        `${maskAccessKeyId(id)} (${found.message}; is iam:GetAccessKeyLastUsed allowed?)`,
      );
    } catch (error) {
      result.failures.push(`${maskAccessKeyId(id)} (${describeError(error)})`);
    }
  };
  const queue = [...new Set(accessKeyIds)].sort();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < queue.length) {
      const id = queue[next];
      next += 1;
      if (id !== undefined) await settle(id);
    }
  };
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(concurrency, queue.length)) }, worker),
  );
  result.foreign.sort();
  result.failures.sort();
  return result;
}

/** Users (not root: its keys are not listed by user name) whose report row holds a key. */
function usersWithKeys(csv: string): string[] {
  return parseCredentialReport(csv)
    .filter(
      (row) =>
        !row.isRoot && row.accessKeys.some((key) => key.active || key.lastRotated.state === 'date'),
    )
    .map((row) => row.user);
}
