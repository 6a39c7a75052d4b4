import { GetAccountSummaryCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import {
  AWS_CLIENTS,
  createAwsClients,
  createClients,
  DYNAMODB_CLIENT,
  IAM_CLIENT,
  S3_CLIENT,
  SNS_CLIENT,
  STS_CLIENT,
} from '../../lambdas/adapters/clients.js';
import { InjectedFaultError, parseFaultPlan } from '../../lambdas/adapters/fault-injection.js';

/** Nothing listens there: a call that is not stopped by a fault fails to connect, never reaches AWS. */
const NOWHERE = 'http://127.0.0.1:9';
const CREDENTIALS = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};

describe('createClients', () => {
  it('builds one client per kind named, and no other', () => {
    // Act
    const clients = createClients(
      { iam: IAM_CLIENT, sns: SNS_CLIENT, dynamoDb: DYNAMODB_CLIENT },
      { region: 'eu-west-1' },
    );

    // Assess
    expect(Object.keys(clients).sort()).toEqual(['counter', 'dynamoDb', 'iam', 'region', 'sns']);
    expect(clients.iam.constructor.name).toBe('IAMClient');
    expect(clients.sns.constructor.name).toBe('SNSClient');
    expect(clients.dynamoDb.constructor.name).toBe('DynamoDBClient');
  });

  it('resolves the region the clients were given', async () => {
    // Act
    const clients = createClients({ sts: STS_CLIENT }, { region: 'ap-southeast-2' });

    // Assess
    await expect(clients.region()).resolves.toBe('ap-southeast-2');
  });

  it('applies the faults of the services it built, counting every call in one counter', async () => {
    // Prepare
    const clients = createClients(
      { iam: IAM_CLIENT, sts: STS_CLIENT },
      {
        region: 'us-east-1',
        endpoint: NOWHERE,
        credentials: CREDENTIALS,
        maxAttempts: 1,
        faults: parseFaultPlan('iam:*=AccessDenied,sts:*=ExpiredToken,s3:*=AccessDenied'),
      },
    );

    // Act
    const iam = clients.iam.send(new GetAccountSummaryCommand({}));
    const sts = clients.sts.send(new GetCallerIdentityCommand({}));

    // Assess
    await expect(iam).rejects.toBeInstanceOf(InjectedFaultError);
    await expect(iam).rejects.toThrow(
      'AccessDenied injected by CREDHEALTH_FAULTS on iam:GetAccountSummary',
    );
    await expect(sts).rejects.toThrow('ExpiredToken injected by CREDHEALTH_FAULTS');
    expect(clients.counter.total()).toBe(2);
    expect(clients.faults).toBeDefined();
  });

  it('has no injector when the plan is empty', () => {
    // Act
    const clients = createClients({ iam: IAM_CLIENT }, { faults: parseFaultPlan('') });

    // Assess
    expect(clients.faults).toBeUndefined();
  });

  it('builds S3 with path-style addressing only when asked', async () => {
    // Act
    const plain = createClients({ s3: S3_CLIENT }, { region: 'us-east-1' });
    const pathStyle = createClients(
      { s3: S3_CLIENT },
      { region: 'us-east-1', forcePathStyle: true },
    );

    // Assess
    expect(plain.s3.config.forcePathStyle).toBe(false);
    expect(pathStyle.s3.config.forcePathStyle).toBe(true);
  });

  it('refuses an empty set, which would have no region to resolve', () => {
    // Act, Assess
    expect(() => createClients({})).toThrow('name at least one client kind');
  });
});

describe('createAwsClients', () => {
  it('builds the clients of the live sources and the publisher', () => {
    // Act
    const clients = createAwsClients({ region: 'eu-west-1' });

    // Assess
    expect(Object.keys(clients).sort()).toEqual(
      [...Object.keys(AWS_CLIENTS), 'counter', 'region'].sort(),
    );
  });
});
