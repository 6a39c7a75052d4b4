import { describe, expect, it } from 'vitest';
import { createClients } from '../../lambdas/adapters/clients.js';
import { IAM_SOURCE_CLIENTS, iamLiveSources } from '../../lambdas/use-cases/live-deps.js';

const WINDOW = {
  start: new Date('2026-11-19T12:00:00Z'),
  end: new Date('2026-11-20T12:00:00Z'),
};

async function drain(records: AsyncIterable<unknown>): Promise<number> {
  let count = 0;
  for await (const _ of records) count += 1;
  return count;
}

describe('iamLiveSources', () => {
  it('reads with IAM and STS only: the CloudTrail and log streams fail, naming the client not built', async () => {
    // Prepare
    const clients = createClients(IAM_SOURCE_CLIENTS, { region: 'eu-west-1' });
    const sources = await iamLiveSources(clients);

    // Act
    const cloudTrail = drain(sources.cloudTrail(WINDOW).records());
    const logs = drain(sources.workloadLogs(WINDOW).records());

    // Assess
    await expect(cloudTrail).rejects.toThrow('the CloudTrail client is not built in this function');
    await expect(logs).rejects.toThrow('the CloudWatch Logs client is not built in this function');
  });
});
