import { GetAccessKeyLastUsedCommand, IAMClient } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { lookUpAccessKeyOwner } from '../../lambdas/adapters/iam-inventory.js';

/** GetAccessKeyLastUsed as the incident key lookups read it: user, no such key, or denied. */

const KEY = 'AKIAEXAMPLEU3EO7IQKN';
const iamAnswering = (answer: (mock: ReturnType<typeof mockClient>) => void): IAMClient => {
  const iam = new IAMClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'EXAMPLEKEY' },
    maxAttempts: 1,
  });
  answer(mockClient(iam));
  return iam;
};
const awsError = (name: string) => Object.assign(new Error(`${name} from IAM`), { name });

describe('lookUpAccessKeyOwner', () => {
  it("names the key's user", async () => {
    // Prepare
    const iam = iamAnswering((m) =>
      m.on(GetAccessKeyLastUsedCommand).resolves({ UserName: 'ci-bot' }),
    );
    // Act / Assess
    expect(await lookUpAccessKeyOwner(iam, KEY)).toEqual({ kind: 'user', userName: 'ci-bot' });
  });

  it('reads NoSuchEntity as no key of this account', async () => {
    const iam = iamAnswering((m) =>
      m.on(GetAccessKeyLastUsedCommand).rejects(awsError('NoSuchEntity')),
    );
    expect(await lookUpAccessKeyOwner(iam, KEY)).toEqual({ kind: 'not-found' });
  });

  it('keeps AccessDenied apart, for STS to tell a foreign key from a missing permission', async () => {
    const iam = iamAnswering((m) =>
      m.on(GetAccessKeyLastUsedCommand).rejects(awsError('AccessDenied')),
    );
    expect(await lookUpAccessKeyOwner(iam, KEY)).toMatchObject({ kind: 'denied' });
  });

  it('throws anything else (throttling), so the key is not taken for unknown', async () => {
    const iam = iamAnswering((m) =>
      m.on(GetAccessKeyLastUsedCommand).rejects(awsError('Throttling')),
    );
    await expect(lookUpAccessKeyOwner(iam, KEY)).rejects.toThrow();
  });
});
