import { GetAccountSummaryCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { errorCode, isThrottling } from '../../lambdas/adapters/aws-errors.js';
import { createAwsClients } from '../../lambdas/adapters/clients.js';
import {
  createFaultInjector,
  InjectedFaultError,
  parseFaultPlan,
} from '../../lambdas/adapters/fault-injection.js';
import { ConfigError } from '../../lambdas/core/errors.js';
import { FAKE_CREDENTIALS, motoEndpoint, REGION } from '../integration/moto-aws.js';

/** `CREDHEALTH_FAULTS`: its syntax, and the middleware that applies it to real SDK clients. */

function faultyClients(faults: string, maxAttempts = 1) {
  const injector = createFaultInjector(parseFaultPlan(faults), async () => {});
  const clients = createAwsClients({
    region: REGION,
    endpoint: motoEndpoint(),
    credentials: FAKE_CREDENTIALS,
    forcePathStyle: true,
    maxAttempts,
    faults: injector,
  });
  return { clients, injector };
}

describe('parseFaultPlan', () => {
  it('reads the documented example into typed rules, in order', () => {
    // Act
    const plan = parseFaultPlan(
      'iam:GenerateCredentialReport=ReportInProgress*20,cloudtrail:LookupEvents=ThrottlingException*5,logs:*=timeout,sns:Publish=InternalError,s3:GetObject=delay:250',
    );

    // Assess
    expect(plan.rules).toEqual([
      {
        service: 'iam',
        operation: 'GenerateCredentialReport',
        effect: { kind: 'error', code: 'ReportInProgress' },
        count: 20,
      },
      {
        service: 'cloudtrail',
        operation: 'LookupEvents',
        effect: { kind: 'error', code: 'ThrottlingException' },
        count: 5,
      },
      { service: 'logs', operation: '*', effect: { kind: 'timeout' }, count: null },
      {
        service: 'sns',
        operation: 'Publish',
        effect: { kind: 'error', code: 'InternalError' },
        count: null,
      },
      { service: 's3', operation: 'GetObject', effect: { kind: 'delay', ms: 250 }, count: null },
    ]);
  });

  it('gives no rules for an absent or blank variable', () => {
    expect(parseFaultPlan(undefined).rules).toEqual([]);
    expect(parseFaultPlan('  ').rules).toEqual([]);
    expect(parseFaultPlan('iam:*=Throttling,').rules).toHaveLength(1);
  });

  it.each([
    ['iam', 'is not service:Operation=fault[*count]'],
    ['iam:ListUsers', 'is not service:Operation=fault[*count]'],
    ['ec2:DescribeInstances=Throttling', 'unknown service "ec2"'],
    ['iam:ListUsers=Throttling*0', 'must be 1 or more'],
    ['iam:ListUsers=Throttling*x', 'is not service:Operation=fault[*count]'],
    ['logs:*=delay:9999999', 'must be at most 900000 ms'],
    ['logs:*=slow:5', 'is not an error code, timeout or delay:MS'],
  ])('refuses %j in one line naming the rule', (text, reason) => {
    // Act
    const attempt = () => parseFaultPlan(text);

    // Assess
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(reason);
    try {
      attempt();
    } catch (error) {
      expect((error as Error).message).toMatch(/^CREDHEALTH_FAULTS: /);
      expect((error as Error).message).not.toContain('\n');
    }
  });
});

describe('parseFaultPlan, fuzzed', () => {
  it('any text: a plan, or one ConfigError line naming the variable', () => {
    const piece = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.constantFrom(
        'iam',
        'logs',
        'ec2',
        ':',
        '=',
        '*',
        ',',
        '*0',
        '*99',
        'delay:',
        'timeout',
        '\n',
        '\r\n',
        '\t',
      ),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), (pieces) => {
        const text = pieces.join('');
        try {
          const plan = parseFaultPlan(text);
          for (const rule of plan.rules) expect(rule.count === null || rule.count >= 1).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(ConfigError);
          expect((error as Error).message).toMatch(/^CREDHEALTH_FAULTS: /);
          expect((error as Error).message).not.toMatch(/[\r\n]/);
        }
      }),
      { numRuns: 1_000 },
    );
  });
});

describe('createFaultInjector', () => {
  it('applies a counted rule to its first N matching calls only, then the next rule', () => {
    // Prepare
    const injector = createFaultInjector(
      parseFaultPlan('logs:StartQuery=LimitExceededException*2,logs:*=timeout*1'),
    );

    // Act
    const effects = [
      injector.take('logs', 'StartQuery'),
      injector.take('logs', 'StartQuery'),
      injector.take('logs', 'StartQuery'),
      injector.take('logs', 'StartQuery'),
      injector.take('iam', 'StartQuery'),
    ];

    // Assess
    expect(effects).toEqual([
      { kind: 'error', code: 'LimitExceededException' },
      { kind: 'error', code: 'LimitExceededException' },
      { kind: 'timeout' },
      undefined,
      undefined,
    ]);
    expect(injector.injected()).toEqual({ 'logs:StartQuery': 3 });
  });
});

describe('fault injection as SDK middleware (against moto)', () => {
  it('fails a call with an error the SDK and our adapters read like the real one', async () => {
    // Prepare
    const { clients } = faultyClients('iam:GetAccountSummary=Throttling');

    // Act
    const error = await clients.iam.send(new GetAccountSummaryCommand({})).catch((e) => e);

    // Assess
    expect(error).toBeInstanceOf(InjectedFaultError);
    expect(errorCode(error)).toBe('Throttling');
    expect(isThrottling(error)).toBe(true);
    expect((error as Error).message).toBe(
      'Throttling injected by CREDHEALTH_FAULTS on iam:GetAccountSummary',
    );
  });

  it('sits inside the SDK retry loop: a burst shorter than maxAttempts is retried away', async () => {
    // Prepare
    const { clients, injector } = faultyClients('sts:GetCallerIdentity=ThrottlingException*2', 3);

    // Act
    const identity = await clients.sts.send(new GetCallerIdentityCommand({}));

    // Assess: three attempts, the first two throttled, each counted against the rate limit.
    expect(identity.Account).toBe('123456789012');
    expect(injector.injected()).toEqual({ 'sts:GetCallerIdentity': 2 });
    expect(clients.counter.byOperation()['STSClient.GetCallerIdentityCommand']).toBe(3);
  });

  it('leaves every other service and operation alone', async () => {
    // Prepare
    const { clients, injector } = faultyClients('iam:ListUsers=InternalError,sns:*=timeout');

    // Act
    const summary = await clients.iam.send(new GetAccountSummaryCommand({}));

    // Assess
    expect(summary.SummaryMap).toBeDefined();
    expect(injector.injected()).toEqual({});
  });

  it('adds no middleware at all when the plan is empty', () => {
    // Act
    const clients = createAwsClients({ region: REGION, faults: parseFaultPlan('') });

    // Assess
    expect(clients.faults).toBeUndefined();
    expect(clients.iam.middlewareStack.identify().join(' ')).not.toContain(
      'credentialHealthFaultInjection',
    );
  });
});
