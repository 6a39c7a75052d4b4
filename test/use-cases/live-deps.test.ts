import { IAMClient, ListAccountAliasesCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { createClients } from '../../lambdas/adapters/clients.js';
import { IAM_SOURCE_CLIENTS, iamLiveSources } from '../../lambdas/use-cases/live-deps.js';
import { keyScanSources } from '../../lambdas/use-cases/scan-sources.js';

const WINDOW = {
  start: new Date('2026-11-19T12:00:00Z'),
  end: new Date('2026-11-20T12:00:00Z'),
};

const iamMock = mockClient(IAMClient);
const stsMock = mockClient(STSClient);

async function drain(records: AsyncIterable<unknown>): Promise<number> {
  let count = 0;
  for await (const _ of records) count += 1;
  return count;
}

describe('iamLiveSources', () => {
  afterEach(() => {
    iamMock.reset();
    stsMock.reset();
  });

  it('holds the IAM and STS sources only: no CloudTrail or workload-log stream to read', () => {
    // Prepare
    const clients = createClients(IAM_SOURCE_CLIENTS, { region: 'eu-west-1' });

    // Act
    const sources = iamLiveSources(clients);

    // Assess
    expect(Object.keys(sources).sort()).toEqual([
      'accessKeyOwners',
      'accessKeys',
      'accessKeysOf',
      'account',
      'accountSummary',
      'credentialReport',
      'existingAccessKeyIds',
      'users',
    ]);
    // @ts-expect-error the key scan's sources have no stream: reading one does not compile.
    expect(sources.cloudTrail).toBeUndefined();
    // @ts-expect-error as above, for the workload logs.
    expect(sources.workloadLogs).toBeUndefined();
  });

  it('leaves the key scan its streams empty, saying trail-watch reads them, with no AWS call', async () => {
    // Prepare
    const clients = createClients(IAM_SOURCE_CLIENTS, { region: 'eu-west-1' });
    const scan = keyScanSources(iamLiveSources(clients)).sources;

    // Act
    const cloudTrail = scan.cloudTrail(WINDOW);
    const logs = scan.workloadLogs(WINDOW);
    const read = [await drain(cloudTrail.records()), await drain(logs.records())];

    // Assess
    expect(read).toEqual([0, 0]);
    expect(cloudTrail.status()).toMatchObject({ status: 'missing', detail: /trail-watch/ });
    expect(logs.status()).toMatchObject({ status: 'missing', detail: /trail-watch/ });
    expect(iamMock.calls().length + stsMock.calls().length).toBe(0);
  });

  it('reads the account with the IAM and STS clients it was given', async () => {
    // Prepare
    stsMock.on(GetCallerIdentityCommand).resolves({ Account: '123456789012' });
    iamMock.on(ListAccountAliasesCommand).resolves({ AccountAliases: ['example-alias'] });
    const clients = createClients(IAM_SOURCE_CLIENTS, { region: 'eu-west-1' });

    // Act
    const account = await iamLiveSources(clients).account();

    // Assess
    expect(account).toMatchObject({
      status: 'ok',
      value: { id: '123456789012', alias: 'example-alias' },
    });
  });
});
