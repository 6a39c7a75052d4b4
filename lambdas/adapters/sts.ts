import {
  GetAccessKeyInfoCommand,
  GetCallerIdentityCommand,
  type STSClient,
} from '@aws-sdk/client-sts';
import { RequiredSourceError } from '../core/errors.js';
import { type CredentialChainContext, toCredentialHealthError } from './aws-errors.js';

/** Who the audit runs as. */
export interface CallerIdentity {
  readonly account: string;
  readonly arn: string;
  readonly userId: string;
}

/**
 * `sts:GetCallerIdentity`: needs no permission, so it is the cheapest way to learn the account id
 * and to find out, before any real work, whether the credential chain works at all.
 *
 * @throws CredentialChainError naming the failed step of the chain and its fix.
 */
export async function getCallerIdentity(
  sts: STSClient,
  context: CredentialChainContext = {},
): Promise<CallerIdentity> {
  try {
    const result = await sts.send(new GetCallerIdentityCommand({}));
    return { account: result.Account ?? '', arn: result.Arn ?? '', userId: result.UserId ?? '' };
  } catch (error) {
    const ours = toCredentialHealthError(error, 'sts:GetCallerIdentity', context);
    if (ours instanceof RequiredSourceError) throw ours;
    // Not a credential problem: AWS (or the endpoint) could not be reached at all.
    throw new RequiredSourceError(`cannot reach AWS: ${ours.message}`, { cause: ours });
  }
}

/**
 * The account a key id belongs to (`sts:GetAccessKeyInfo`), to tell "a key of another account"
 * from "a deleted key of this one" for an `invalid-credentials` incident. Works for any key id,
 * no permission needed on the other account. The live sources call it for a key id that
 * GetAccessKeyLastUsed does not resolve.
 */
export async function getAccessKeyAccount(
  sts: STSClient,
  accessKeyId: string,
): Promise<string | null> {
  try {
    const result = await sts.send(new GetAccessKeyInfoCommand({ AccessKeyId: accessKeyId }));
    return result.Account ?? null;
  } catch (error) {
    throw toCredentialHealthError(error, 'sts:GetAccessKeyInfo');
  }
}
