import { describe, expect, it } from 'vitest';
import type { Incident } from '../../../lambdas/core/report.js';
import {
  ACCOUNT,
  inventoryOf,
  KEY_ACTIVE,
  keyRecord,
  newCorrelator,
  only,
  trailFixture,
  trailRecord,
  trailRecords,
  userRecord,
} from './support.js';

function run(
  records: readonly unknown[],
  options: Parameters<typeof newCorrelator>[0] = {},
): Incident[] {
  const correlator = newCorrelator(options);
  for (const record of records) correlator.addCloudTrailRecord(record);
  return correlator.finish();
}

const ROOT = {
  type: 'Root',
  principalId: ACCOUNT,
  arn: `arn:aws:iam::${ACCOUNT}:root`,
  accountId: ACCOUNT,
};

describe('incidents from CloudTrail', () => {
  describe('access-denied', () => {
    it('reports a burst for one principal and names the action and resource', () => {
      // Act
      const incidents = run(trailFixture('access-denied.json'));

      // Assess: ci-bot (10) and the ci-deployer role (12 sessions with changing names).
      const byTitle = incidents.map((i) => i.title).sort();
      expect(byTitle).toEqual([
        'role/ci-deployer denied 12 times (ec2:DescribeInstances)',
        'user/ci-bot denied 10 times (cloudtrail:StopLogging)',
      ]);
      const ciBot = incidents.find((i) =>
        i.principals.includes(`arn:aws:iam::${ACCOUNT}:user/ci-bot`),
      );
      expect(ciBot?.probableCauses.join(' ')).toContain(
        `cloudtrail:StopLogging on arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/org-trail`,
      );
      expect(ciBot?.accessKeyIds).toEqual([KEY_ACTIVE]);
      expect(ciBot?.errorCodes).toEqual({ AccessDenied: 10 });
    });

    it('never prints a full key id in a title, even when the key is all CloudTrail names', () => {
      // Prepare
      const records = trailRecords(10, {
        userIdentity: { type: 'IAMUser', accessKeyId: KEY_ACTIVE },
        errorCode: 'AccessDenied',
      });

      // Act
      const incident = only(run(records), 'access-denied');

      // Assess
      expect(incident.principals).toEqual([KEY_ACTIVE]);
      expect(incident.title).toBe('AKIA…MPLE denied 10 times (s3:ListBuckets)');
    });

    it('stays quiet when denials are spread over two principals each below ten', () => {
      // Act
      const incidents = run(trailFixture('access-denied-spread.json'));

      // Assess
      expect(incidents).toEqual([]);
    });
  });

  describe('console-login-failure', () => {
    it('reports ten failures for a user and probing from one address, but not the success', () => {
      // Act
      const incidents = run(trailFixture('console-login-failures.json'));

      // Assess
      expect(incidents.map((i) => i.title).sort()).toEqual([
        '10 failed console sign-ins for anaya',
        '12 failed console sign-ins for unknown user names from 198.51.100.7',
      ]);
      expect(
        incidents.every((i) => i.kind === 'console-login-failure' && i.severity === 'medium'),
      ).toBe(true);
    });

    it('raises root sign-in failures to high', () => {
      // Prepare
      const records = trailRecords(10, {
        userIdentity: { ...ROOT, accessKeyId: '' },
        eventSource: 'signin.amazonaws.com',
        eventName: 'ConsoleLogin',
        errorMessage: 'Failed authentication',
        responseElements: { ConsoleLogin: 'Failure' },
        eventType: 'AwsConsoleSignIn',
      });

      // Act
      const incidents = run(records);

      // Assess: a failed root sign-in is not root activity.
      expect(incidents.map((i) => i.kind)).toEqual(['console-login-failure']);
      expect(only(incidents, 'console-login-failure').severity).toBe('high');
    });

    it('stays quiet at nine failures and on a successful sign-in', () => {
      // Prepare
      const failures = trailRecords(9, {
        eventSource: 'signin.amazonaws.com',
        eventName: 'ConsoleLogin',
        responseElements: { ConsoleLogin: 'Failure' },
      });
      const success = trailRecord({
        eventSource: 'signin.amazonaws.com',
        eventName: 'ConsoleLogin',
        responseElements: { ConsoleLogin: 'Success' },
      });

      // Act / Assess
      expect(run([...failures, success])).toEqual([]);
    });
  });

  describe('root-activity', () => {
    it('is critical with a root access key and ignores calls AWS made for root', () => {
      // Act
      const incidents = run(trailFixture('root-activity.json'));

      // Assess
      const incident = only(incidents, 'root-activity');
      expect(incident.severity).toBe('critical');
      expect(incident.count).toBe(1);
      expect(incident.title).toBe('Root access key AKIA…MPLE used: 1 call');
    });

    it('is high for a root console sign-in read from LookupEvents output', () => {
      // Act
      const incidents = run(trailFixture('lookup-events-root-login.json'));

      // Assess
      const incident = only(incidents, 'root-activity');
      expect(incident.severity).toBe('high');
      expect(incident.eventSources).toEqual(['signin.amazonaws.com']);
    });

    it('ignores root events from AWS Internal and service events', () => {
      // Prepare
      const internal = trailRecord({
        userIdentity: ROOT,
        sourceIPAddress: 'AWS Internal',
        userAgent: 'AWS Internal',
      });
      const serviceEvent = trailRecord({ userIdentity: ROOT, eventType: 'AwsServiceEvent' });

      // Act / Assess
      expect(run([internal, serviceEvent])).toEqual([]);
    });
  });

  describe('anonymous-denied', () => {
    it('reports ten denied anonymous requests to one bucket as low', () => {
      // Act
      const incident = only(run(trailFixture('anonymous-s3.json')), 'anonymous-denied');

      // Assess: the three allowed requests are not counted.
      expect(incident.count).toBe(10);
      expect(incident.severity).toBe('low');
      expect(incident.title).toBe(
        '10 denied anonymous S3 requests to bucket reports-example-bucket',
      );
      expect(incident.sourceIps).toEqual(['198.51.100.20', '198.51.100.21', '198.51.100.22']);
    });

    it('matches the principalId form of the S3 documentation too', () => {
      // Prepare
      const records = trailRecords(10, {
        userIdentity: { type: 'AWSAccount', principalId: 'ANONYMOUS_PRINCIPAL' },
        eventName: 'GetObject',
        errorCode: 'AccessDenied',
        requestParameters: { bucketName: 'b' },
      });

      // Act / Assess
      expect(only(run(records), 'anonymous-denied').count).toBe(10);
    });
  });

  describe('key-quarantined', () => {
    it('is critical and lists the user’s keys from the inventory', () => {
      // Act
      const incident = only(run(trailFixture('key-quarantined.json')), 'key-quarantined');

      // Assess
      expect(incident.severity).toBe('critical');
      expect(incident.accessKeyIds).toEqual([KEY_ACTIVE]);
      expect(incident.principals).toEqual([`arn:aws:iam::${ACCOUNT}:user/ci-bot`]);
      expect(incident.evidence).toEqual(['cloudtrail', 'inventory']);
    });

    it('recognises the exposed-credential inline policy and ignores a failed attach', () => {
      // Prepare
      const inline = trailRecord({
        eventSource: 'iam.amazonaws.com',
        eventName: 'PutUserPolicy',
        requestParameters: {
          userName: 'deploy',
          policyName: 'AWSExposedCredentialPolicy_DO_NOT_REMOVE',
        },
      });
      const failed = trailRecord({
        eventSource: 'iam.amazonaws.com',
        eventName: 'AttachUserPolicy',
        errorCode: 'AccessDenied',
        requestParameters: {
          userName: 'other',
          policyArn: 'arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV2',
        },
      });

      // Act
      const incidents = run([inline, failed], {
        config: { incidents: { disabled: ['access-denied'] } },
      });

      // Assess
      expect(incidents.map((i) => i.title)).toEqual([
        'AWS quarantined IAM user deploy: an access key was exposed',
      ]);
    });
  });

  describe('key-quarantined: the keys the user held when AWS attached the policy', () => {
    const EXPOSED = 'AKIAEXAMPLEQ7R2M4TZP';
    const REPLACEMENT = 'AKIAEXAMPLEN8V5K3WCD';
    const DELETED_BEFORE = 'AKIAEXAMPLEH6J9D2XLS';
    const DELETED_SINCE = 'AKIAEXAMPLEW3F8P1MKB';
    const QUARANTINED_AT = '2026-11-20T04:12:00Z';
    const LEAKY_ARN = `arn:aws:iam::${ACCOUNT}:user/leaky-sync`;

    function key(id: string | null, status: 'Active' | 'Inactive', createdAt: string | null) {
      return {
        ...keyRecord('leaky-sync', id, status),
        createdAt: createdAt ? new Date(createdAt) : null,
      };
    }

    function quarantine(at = QUARANTINED_AT) {
      return trailRecord({
        userIdentity: { type: 'AWSService', invokedBy: 'iam.amazonaws.com' },
        eventTime: at,
        eventSource: 'iam.amazonaws.com',
        eventName: 'AttachUserPolicy',
        requestParameters: {
          userName: 'leaky-sync',
          policyArn: 'arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV3',
        },
      });
    }

    it('lists the exposed key, now inactive, and not the replacement created after the quarantine', () => {
      // Prepare: the inventory as it is after the rotation.
      const inventory = inventoryOf([
        userRecord('leaky-sync', [
          key(EXPOSED, 'Inactive', '2026-03-01T00:00:00Z'),
          key(REPLACEMENT, 'Active', '2026-11-20T05:00:00Z'),
        ]),
      ]);

      // Act
      const incident = only(run([quarantine()], { inventory }), 'key-quarantined');

      // Assess
      expect(incident.accessKeyIds).toEqual([EXPOSED]);
      expect(incident.evidence).toEqual(['cloudtrail', 'inventory']);
      expect(incident.probableCauses.join(' ')).toContain('is not listed');
    });

    it('counts a key created in the same second as the policy, not one created a second later', () => {
      // Prepare
      const inventory = inventoryOf([
        userRecord('leaky-sync', [
          key(EXPOSED, 'Active', QUARANTINED_AT),
          key(REPLACEMENT, 'Active', '2026-11-20T04:12:01Z'),
        ]),
      ]);

      // Act
      const incident = only(run([quarantine()], { inventory }), 'key-quarantined');

      // Assess
      expect(incident.accessKeyIds).toEqual([EXPOSED]);
    });

    it('adds keys deleted since, known from CloudTrail alone, whatever order the records come in', () => {
      // Prepare: only the replacement is left in the inventory.
      const inventory = inventoryOf([
        userRecord('leaky-sync', [key(REPLACEMENT, 'Active', '2026-11-20T05:00:00Z')]),
      ]);
      const records = trailFixture('key-quarantined-replaced.json');

      // Act
      const forward = only(run(records, { inventory }), 'key-quarantined');
      const backward = only(run([...records].reverse(), { inventory }), 'key-quarantined');

      // Assess: the key deleted before the quarantine was no longer there to leak.
      expect(forward.accessKeyIds).toEqual([EXPOSED, DELETED_SINCE]);
      expect(forward.accessKeyIds).not.toContain(DELETED_BEFORE);
      expect(backward).toEqual(forward);
      expect(forward.evidence).toEqual(['cloudtrail']);
      expect(forward.probableCauses.join(' ')).toContain(
        'held 2 keys when the policy was attached',
      );
    });

    it('leaves the replacement out when only its CreateAccessKey tells when it was made', () => {
      // Prepare: an inventory that does not know the user at all.
      const records = trailFixture('key-quarantined-replaced.json');

      // Act
      const incident = only(run(records, { inventory: inventoryOf([]) }), 'key-quarantined');

      // Assess
      expect(incident.accessKeyIds).toEqual([EXPOSED, DELETED_SINCE]);
      expect(incident.principals).toEqual(['leaky-sync']);
      expect(incident.title).toBe('AWS quarantined IAM user leaky-sync: an access key was exposed');
    });

    it('lists no key and says so when none of the user’s keys existed at the time', () => {
      // Prepare
      const inventory = inventoryOf([
        userRecord('leaky-sync', [key(REPLACEMENT, 'Active', '2026-11-20T05:00:00Z')]),
      ]);

      // Act
      const incident = only(run([quarantine()], { inventory }), 'key-quarantined');

      // Assess
      expect(incident.accessKeyIds).toEqual([]);
      expect(incident.evidence).toEqual(['cloudtrail']);
      expect(incident.probableCauses.join(' ')).toContain(
        'Which key was exposed could not be determined, so none is listed',
      );
    });

    it('says the user held a key whose id is unknown here when access-keys.json is missing', () => {
      // Prepare: a credential report slot without its ListAccessKeys id.
      const inventory = inventoryOf([
        userRecord('leaky-sync', [key(null, 'Inactive', '2026-03-01T00:00:00Z')]),
      ]);

      // Act
      const incident = only(run([quarantine()], { inventory }), 'key-quarantined');

      // Assess
      expect(incident.accessKeyIds).toEqual([]);
      expect(incident.probableCauses.join(' ')).toContain(
        'aws iam list-access-keys --user-name leaky-sync',
      );
    });

    it('names the user by the ARN the inventory knows in principals, by name in the title', () => {
      // Prepare
      const inventory = inventoryOf([
        userRecord('leaky-sync', [key(EXPOSED, 'Inactive', '2026-03-01T00:00:00Z')]),
      ]);

      // Act
      const incident = only(run([quarantine()], { inventory }), 'key-quarantined');

      // Assess
      expect(incident.principals).toEqual([LEAKY_ARN]);
      expect(incident.title).toBe('AWS quarantined IAM user leaky-sync: an access key was exposed');
    });
  });

  describe('revoked-key-in-use from the key lifecycle', () => {
    it('reports a key deactivated two hours after its last use, with the last caller', () => {
      // Act
      const incident = only(
        run(trailFixture('key-deactivated-after-use.json')),
        'revoked-key-in-use',
      );

      // Assess
      expect(incident.severity).toBe('high');
      expect(incident.title).toBe(
        'Key AKIA…MPLE of legacy-sync was deactivated 2 h after its last use: a caller may still hold it',
      );
      expect(incident.sourceIps).toEqual(['10.0.3.7']);
      expect(incident.userAgents).toEqual(['Boto3/1.28.0 Python/3.11 Linux/5.10 Botocore/1.31.0']);
    });

    it('uses the inventory’s last-used date when CloudTrail has no use', () => {
      // Prepare
      const key = 'AKIA2DEMO0004EXAMPLE';
      const inventory = inventoryOf([
        userRecord('batch', [keyRecord('batch', key, 'Inactive', '2026-11-20T05:00:00Z')]),
      ]);
      const deletion = trailRecord({
        eventTime: '2026-11-20T09:00:00Z',
        eventSource: 'iam.amazonaws.com',
        eventName: 'DeleteAccessKey',
        requestParameters: { userName: 'batch', accessKeyId: key },
      });

      // Act
      const incident = only(run([deletion], { inventory }), 'revoked-key-in-use');

      // Assess: the title names the user; principals carry its ARN.
      expect(incident.title).toBe(
        `Key AKIA…MPLE of batch was deleted 4 h after its last use: a caller may still hold it`,
      );
      expect(incident.evidence).toEqual(['cloudtrail', 'inventory']);
      expect(incident.principals).toEqual([`arn:aws:iam::${ACCOUNT}:user/batch`]);
    });

    it('stays quiet for a key deactivated three days after its last use', () => {
      // Prepare
      const key = 'AKIA2DEMO0005EXAMPLE';
      const inventory = inventoryOf([
        userRecord('batch', [keyRecord('batch', key, 'Inactive', '2026-11-17T09:00:00Z')]),
      ]);
      const deactivation = trailRecord({
        eventTime: '2026-11-20T09:00:00Z',
        eventSource: 'iam.amazonaws.com',
        eventName: 'UpdateAccessKey',
        requestParameters: { userName: 'batch', accessKeyId: key, status: 'Inactive' },
      });

      // Act / Assess
      expect(run([deactivation], { inventory })).toEqual([]);
    });

    it('does not count the deactivation call itself as a use of the key', () => {
      // Prepare: ci-bot deactivates its own key, signing the call with that key.
      const selfDeactivation = trailRecord({
        eventTime: '2026-11-20T09:00:00Z',
        eventSource: 'iam.amazonaws.com',
        eventName: 'UpdateAccessKey',
        requestParameters: { accessKeyId: KEY_ACTIVE, status: 'Inactive' },
      });
      const inventory = inventoryOf([
        userRecord('ci-bot', [keyRecord('ci-bot', KEY_ACTIVE, 'Inactive', '2026-11-10T09:00:00Z')]),
      ]);

      // Act / Assess
      expect(run([selfDeactivation], { inventory })).toEqual([]);
    });

    it('stays quiet when the key was reactivated afterwards', () => {
      // Prepare
      const [use, deactivation] = trailFixture('key-deactivated-after-use.json');
      const reactivation = trailRecord({
        eventTime: '2026-11-20T11:30:00Z',
        eventSource: 'iam.amazonaws.com',
        eventName: 'UpdateAccessKey',
        requestParameters: {
          userName: 'legacy-sync',
          accessKeyId: 'AKIA2DEMO0003EXAMPLE',
          status: 'Active',
        },
      });

      // Act / Assess
      expect(run([use, deactivation, reactivation])).toEqual([]);
    });
  });

  describe('expired-credentials from sessions', () => {
    it('reports a session used up to its expiration with the next AssumeRole only later', () => {
      // Act
      const incident = only(run(trailFixture('session-ran-out.json')), 'expired-credentials');

      // Assess
      expect(incident.title).toBe(
        'Session for role/etl-writer ran out while in use (user/etl-runner)',
      );
      expect(incident.firstSeen).toBe('2026-11-20T10:00:00Z');
      expect(incident.accessKeyIds).toEqual(['ASIA2DEMO0100EXAMPLE']);
      expect(incident.evidence).toEqual(['cloudtrail']);
    });

    it('stays quiet when the caller refreshed before the expiration', () => {
      // Act / Assess
      expect(run(trailFixture('session-refreshed.json'))).toEqual([]);
    });

    it('stays quiet when the session was last used long before it expired', () => {
      // Prepare: drop the use 20 s before expiry; the last use is then 09:57.
      const records = trailFixture('session-ran-out.json').filter(
        (record) => (record as { eventTime: string }).eventTime !== '2026-11-20T09:59:40Z',
      );

      // Act / Assess
      expect(run(records).filter((i) => i.kind === 'expired-credentials')).toEqual([]);
    });

    it('reads a CloudTrail record that carries ExpiredToken like a log line', () => {
      // Prepare
      const records = trailRecords(5, {
        errorCode: 'ExpiredToken',
        errorMessage: 'The security token included in the request is expired',
      });

      // Act
      const incident = only(run(records), 'expired-credentials');

      // Assess
      expect(incident.count).toBe(5);
      expect(incident.evidence).toEqual(['cloudtrail']);
      expect(incident.principals).toEqual([`arn:aws:iam::${ACCOUNT}:user/ci-bot`]);
      expect(incident.userAgents).toHaveLength(1);
    });
  });

  describe('authentication errors in CloudTrail records', () => {
    it('reads InvalidClientTokenId with an unknown key as invalid credentials', () => {
      // Prepare
      const records = trailRecords(5, {
        userIdentity: { type: 'IAMUser', accessKeyId: 'AKIAI44QH8DHBEXAMPLE' },
        errorCode: 'InvalidClientTokenId',
        errorMessage: 'The security token included in the request is invalid.',
      });

      // Act
      const incident = only(run(records), 'invalid-credentials');

      // Assess
      expect(incident.accessKeyIds).toEqual(['AKIAI44QH8DHBEXAMPLE']);
      expect(incident.evidence).toEqual(['cloudtrail']);
    });

    it('reads a signature that expired as clock skew', () => {
      // Prepare
      const records = trailRecords(5, {
        errorCode: 'SignatureDoesNotMatch',
        errorMessage: 'Signature expired: 20261120T095500Z is now earlier than 20261120T100000Z',
      });

      // Act / Assess
      expect(run(records).map((i) => i.kind)).toEqual(['clock-skew']);
    });
  });

  describe('robustness', () => {
    it('counts malformed records instead of throwing', () => {
      // Prepare
      const correlator = newCorrelator();

      // Act
      for (const raw of [
        42,
        null,
        '{',
        {},
        { eventName: 'X' },
        { eventName: 'X', eventTime: 'soon' },
        [],
      ]) {
        correlator.addCloudTrailRecord(raw);
      }

      // Assess
      expect(correlator.stats()).toMatchObject({ cloudTrailRecords: 7, cloudTrailIgnored: 7 });
      expect(correlator.finish()).toEqual([]);
    });

    it('ignores events outside the window and counts them', () => {
      // Prepare
      const records = trailRecords(10, { errorCode: 'AccessDenied' }, '2026-11-18T10:00:00Z');
      const correlator = newCorrelator();

      // Act
      for (const record of records) correlator.addCloudTrailRecord(record);

      // Assess
      expect(correlator.finish()).toEqual([]);
      expect(correlator.stats().outsideWindow).toBe(10);
    });

    it('reads an EventBridge envelope and a JSON string', () => {
      // Prepare
      const record = trailRecord({
        userIdentity: { ...ROOT, accessKeyId: 'AKIA2DEMO0009EXAMPLE' },
      });
      const envelope = {
        version: '0',
        'detail-type': 'AWS API Call via CloudTrail',
        source: 'aws.iam',
        detail: record,
      };

      // Act
      const incidents = run([
        envelope,
        JSON.stringify({ ...record, eventTime: '2026-11-20T10:05:00Z' }),
      ]);

      // Assess
      expect(only(incidents, 'root-activity').count).toBe(2);
    });

    it('bounds the number of groups and counts what it dropped', () => {
      // Prepare
      const correlator = newCorrelator();

      // Act
      for (let i = 0; i <= 10_000; i += 1) {
        correlator.addLogEntry({
          timestamp: '2026-11-20 09:00:00',
          logGroup: `/aws/lambda/fn-${i}`,
          logStream: null,
          message: 'NoCredentialsError',
        });
      }

      // Assess
      expect(correlator.stats().groupsDropped).toBe(1);
      expect(correlator.finish()).toEqual([]);
    });
  });
});
