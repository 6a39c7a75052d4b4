import {
  GetAccountAuthorizationDetailsCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListAccountAliasesCommand,
  NoSuchEntityException,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  getAccountAlias,
  listAccessKeysFor,
  listUserDetails,
} from '../../lambdas/adapters/iam-inventory.js';

const iamMock = mockClient(IAMClient);
const meta = { $metadata: {} };
const CREATED = new Date('2026-01-02T03:04:05Z');

describe('IAM inventory reads', () => {
  beforeEach(() => {
    iamMock.reset();
  });

  it('reads every page of GetAccountAuthorizationDetails --filter User, with tags', async () => {
    // Prepare
    iamMock
      .on(GetAccountAuthorizationDetailsCommand, { Filter: ['User'], MaxItems: 1000 })
      .resolvesOnce({
        UserDetailList: [
          {
            UserName: 'ci-bot',
            Arn: 'arn:aws:iam::123456789012:user/ci-bot',
            CreateDate: CREATED,
            Tags: [{ Key: 'owner', Value: 'p@example.com' }],
          },
        ],
        IsTruncated: true,
        Marker: 'page-2',
      })
      .resolvesOnce({ UserDetailList: [{ UserName: 'alice' }], IsTruncated: false });

    // Act
    const users = await listUserDetails(new IAMClient({}));

    // Assess
    expect(users).toEqual([
      {
        UserName: 'ci-bot',
        Arn: 'arn:aws:iam::123456789012:user/ci-bot',
        CreateDate: '2026-01-02T03:04:05.000Z',
        Tags: [{ Key: 'owner', Value: 'p@example.com' }],
      },
      { UserName: 'alice', Tags: [] },
    ]);
    expect(iamMock).toHaveReceivedCommandTimes(GetAccountAuthorizationDetailsCommand, 2);
    expect(iamMock).toHaveReceivedNthCommandWith(GetAccountAuthorizationDetailsCommand, 2, {
      Marker: 'page-2',
    });
  });

  it('lists the keys of the named users only, skipping users deleted since the report', async () => {
    iamMock.on(ListAccessKeysCommand, { UserName: 'ci-bot' }).resolves({
      AccessKeyMetadata: [
        {
          UserName: 'ci-bot',
          AccessKeyId: 'AKIA2DEMO0001EXAMPLE',
          Status: 'Active',
          CreateDate: CREATED,
        },
        {
          UserName: 'ci-bot',
          AccessKeyId: 'AKIA2DEMO0002EXAMPLE',
          Status: 'Inactive',
          CreateDate: new Date('2026-02-01T00:00:00Z'),
        },
      ],
    });
    iamMock
      .on(ListAccessKeysCommand, { UserName: 'gone' })
      .rejects(
        new NoSuchEntityException({ message: 'The user with name gone cannot be found.', ...meta }),
      );

    const listing = await listAccessKeysFor(new IAMClient({}), ['gone', 'ci-bot']);

    expect(listing.keys.map((k) => [k.AccessKeyId, k.Status, k.CreateDate])).toEqual([
      ['AKIA2DEMO0001EXAMPLE', 'Active', '2026-01-02T03:04:05.000Z'],
      ['AKIA2DEMO0002EXAMPLE', 'Inactive', '2026-02-01T00:00:00.000Z'],
    ]);
    expect(listing.missingUsers).toEqual(['gone']);
    expect(iamMock).toHaveReceivedCommandTimes(ListAccessKeysCommand, 2);
  });

  it('makes no call when no user needs key ids', async () => {
    const listing = await listAccessKeysFor(new IAMClient({}), []);

    expect(listing).toEqual({ keys: [], missingUsers: [] });
    expect(iamMock).toHaveReceivedCommandTimes(ListAccessKeysCommand, 0);
  });

  it('reads the alias, or null when the account has none', async () => {
    iamMock
      .on(ListAccountAliasesCommand)
      .resolvesOnce({ AccountAliases: ['acme-prod'] })
      .resolvesOnce({ AccountAliases: [] });

    expect(await getAccountAlias(new IAMClient({}))).toBe('acme-prod');
    expect(await getAccountAlias(new IAMClient({}))).toBeNull();
  });
});
