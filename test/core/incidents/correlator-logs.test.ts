import { describe, expect, it } from 'vitest';
import type { Incident } from '../../../lambdas/core/report.js';
import type { LogEntry } from '../../../lambdas/core/sources.js';
import {
  FAKE_SECRET,
  filterEventsFixture,
  insightsFixture,
  KEY_ACTIVE,
  KEY_INACTIVE,
  KEY_UNKNOWN,
  logLine,
  logLines,
  newCorrelator,
  only,
  SESSION_KEY,
  trailFixture,
  trailRecord,
} from './support.js';

describe('incidents from workload logs', () => {
  describe('no-credentials', () => {
    it('reports a log group with five "no credentials" lines, per log group', () => {
      // Prepare
      const correlator = newCorrelator();
      for (const entry of insightsFixture('insights-no-credentials.json'))
        correlator.addLogEntry(entry);

      // Act
      const incidents = correlator.finish();

      // Assess: 5 lines in the Lambda; the ECS group has only 4 and stays quiet.
      const incident = only(incidents, 'no-credentials');
      expect(incident.count).toBe(5);
      expect(incident.logGroups).toEqual(['/aws/lambda/orders-sync']);
      expect(incident.errorCodes).toEqual({ NoCredentialsError: 5 });
      expect(incident.severity).toBe('medium');
      expect(incident.evidence).toEqual(['logs']);
      expect(incident.owner).toBeNull();
      expect(incident.title).toContain('/aws/lambda/orders-sync');
      expect(incident.probableCauses.join(' ')).toMatch(/Lambda/);
    });

    it('stays quiet at four lines when the minimum is five', () => {
      // Prepare
      const correlator = newCorrelator();
      for (const entry of logLines(4, 'NoCredentialsError: Unable to locate credentials')) {
        correlator.addLogEntry(entry);
      }

      // Act
      const incidents = correlator.finish();

      // Assess
      expect(incidents).toEqual([]);
    });

    it('honours a lower minimum from the config', () => {
      // Prepare
      const correlator = newCorrelator({
        config: { incidents: { minEvents: { 'no-credentials': 2 } } },
      });
      for (const entry of logLines(2, 'Unable to locate credentials', '/ecs/billing-worker')) {
        correlator.addLogEntry(entry);
      }

      // Act
      const incident = only(correlator.finish(), 'no-credentials');

      // Assess: ECS advice names the task role, not the execution role.
      expect(incident.count).toBe(2);
      expect(incident.remediation.join(' ')).toContain('taskRoleArn');
      expect(incident.probableCauses.join(' ')).toContain('executionRoleArn');
    });

    it('adds IMDS advice when the line mentions the metadata service', () => {
      // Prepare
      const correlator = newCorrelator();
      const message =
        'NoCredentialProviders: no valid providers in chain. caused by: EC2RoleRequestError: no EC2 instance role found (169.254.169.254)';
      for (const entry of logLines(5, message, '/app/ingest')) correlator.addLogEntry(entry);

      // Act
      const incident = only(correlator.finish(), 'no-credentials');

      // Assess
      expect(incident.errorCodes).toEqual({ NoCredentialProviders: 5 });
      expect(incident.remediation.join(' ')).toContain('--http-put-response-hop-limit 2');
    });
  });

  describe('clock-skew', () => {
    it('reads "SignatureDoesNotMatch: Signature expired" as clock skew, not invalid credentials', () => {
      // Prepare
      const correlator = newCorrelator();
      const message =
        'An error occurred (SignatureDoesNotMatch) when calling the GetCallerIdentity operation: Signature expired: 20261120T085500Z is now earlier than 20261120T090000Z (20261120T090500Z - 5 min.)';
      for (const entry of logLines(5, message)) correlator.addLogEntry(entry);

      // Act
      const incidents = correlator.finish();

      // Assess
      expect(incidents.map((i) => i.kind)).toEqual(['clock-skew']);
      expect(only(incidents, 'clock-skew').remediation.join(' ')).toMatch(/chrony/);
    });

    it('reports RequestTimeTooSkewed', () => {
      // Prepare
      const correlator = newCorrelator();
      for (const entry of logLines(
        5,
        'RequestTimeTooSkewed: The difference between the request time and the current time is too large.',
      )) {
        correlator.addLogEntry(entry);
      }

      // Act
      const incident = only(correlator.finish(), 'clock-skew');

      // Assess
      expect(incident.errorCodes).toEqual({ RequestTimeTooSkewed: 5 });
    });
  });

  describe('expired-credentials', () => {
    it('ties an ASIA key in the logs to the AssumeRole call that issued it', () => {
      // Prepare
      const correlator = newCorrelator();
      for (const record of trailFixture('session-ran-out.json'))
        correlator.addCloudTrailRecord(record);
      for (const entry of filterEventsFixture('filter-expired-token.json', '/ecs/web'))
        correlator.addLogEntry(entry);

      // Act
      const incidents = correlator.finish();

      // Assess
      const fromLogs = incidents.find(
        (i) => i.kind === 'expired-credentials' && i.logGroups.includes('/ecs/web'),
      );
      expect(fromLogs).toBeDefined();
      // Six failing lines, and the session seen running out in CloudTrail folded in.
      expect(fromLogs?.count).toBe(7);
      expect(fromLogs?.accessKeyIds).toEqual(['ASIA2DEMO0100EXAMPLE']);
      expect(fromLogs?.principals).toEqual(
        expect.arrayContaining([
          'arn:aws:sts::123456789012:assumed-role/etl-writer/nightly-etl',
          'arn:aws:iam::123456789012:role/etl-writer',
          'arn:aws:iam::123456789012:user/etl-runner',
        ]),
      );
      expect(fromLogs?.evidence).toEqual(['cloudtrail', 'logs']);
      expect(fromLogs?.probableCauses.join(' ')).toContain('AssumeRole');
    });

    it('never copies a secret from a log line into the output', () => {
      // Prepare
      const correlator = newCorrelator({
        config: { incidents: { minEvents: { 'expired-credentials': 1 } } },
      });
      correlator.addLogEntry(
        logLine(
          `ExpiredToken while using aws_secret_access_key=${FAKE_SECRET} token=FQoGZXIvYXdzEXAMPLEKEYsessiontoken`,
          undefined,
          `/app/x?password=hunter2EXAMPLEKEY`,
        ),
      );
      correlator.addLogEntry(
        logLine(
          `ExpiredToken Authorization: Bearer abc.def.EXAMPLEKEY SecretAccessKey: "${FAKE_SECRET}"`,
        ),
      );

      // Act
      const output = JSON.stringify(correlator.finish());

      // Assess
      expect(output).toContain('expired-credentials');
      expect(output).not.toContain('wJalrXUtnFEMI');
      expect(output).not.toContain('EXAMPLEKEY');
      expect(output).not.toContain('hunter2');
    });
  });

  describe('expired-credentials: a session that ran out, seen in CloudTrail and in the logs', () => {
    const RAN_OUT_KEY = 'ASIA2DEMO0100EXAMPLE';

    function expiredLines(n: number, keyId: string): LogEntry[] {
      return logLines(
        n,
        `ExpiredTokenException: The security token included in the request is expired (${keyId})`,
        '/ecs/web',
        '2026-11-20T10:05:00Z',
      );
    }

    function correlate(
      records: readonly unknown[],
      entries: readonly LogEntry[],
      logsFirst = false,
    ): Incident[] {
      const correlator = newCorrelator();
      const feedLogs = () => {
        for (const entry of entries) correlator.addLogEntry(entry);
      };
      if (logsFirst) feedLogs();
      for (const record of records) correlator.addCloudTrailRecord(record);
      if (!logsFirst) feedLogs();
      return correlator.finish();
    }

    it('folds the session into the log group’s incident when its key failed there', () => {
      // Prepare
      const records = trailFixture('session-ran-out.json');
      const lines = expiredLines(6, RAN_OUT_KEY);
      const [logsOnly] = correlate([], lines);

      // Act
      const incidents = correlate(records, lines);
      const reversed = correlate([...records].reverse(), lines, true);

      // Assess: one incident, with the id the log group alone gets, and the session's evidence.
      const incident = only(incidents, 'expired-credentials');
      expect(incident.id).toBe(logsOnly?.id);
      expect(incident.count).toBe(7);
      expect(incident.errorCodes).toEqual({ ExpiredTokenException: 6, SessionExpiredInUse: 1 });
      expect(incident.eventSources).toEqual(['dynamodb.amazonaws.com']);
      expect(incident.principals).toContain('arn:aws:iam::123456789012:user/etl-runner');
      expect(incident.logGroups).toEqual(['/ecs/web']);
      expect(incident.title).toBe('Expired credentials in /ecs/web: 7 times');
      expect(incident.probableCauses.join(' ')).toContain('CloudTrail agrees');
      expect(reversed).toEqual(incidents);
    });

    it('folds it in even when the log group alone stays below its minimum', () => {
      // Act
      const incidents = correlate(
        trailFixture('session-ran-out.json'),
        expiredLines(2, RAN_OUT_KEY),
      );

      // Assess
      const incident = only(incidents, 'expired-credentials');
      expect(incident.count).toBe(3);
      expect(incident.logGroups).toEqual(['/ecs/web']);
    });

    it('keeps the session apart when the failing lines carry another key', () => {
      // Act
      const incidents = correlate(
        trailFixture('session-ran-out.json'),
        expiredLines(6, SESSION_KEY),
      );

      // Assess
      const expired = incidents.filter((i) => i.kind === 'expired-credentials');
      expect(expired.map((i) => i.title).sort()).toEqual([
        'Expired credentials in /ecs/web: 6 times',
        'Session for role/etl-writer ran out while in use (user/etl-runner)',
      ]);
      const fromLogs = expired.find((i) => i.logGroups.includes('/ecs/web'));
      expect(fromLogs?.errorCodes).toEqual({ ExpiredTokenException: 6 });
      expect(fromLogs?.accessKeyIds).toEqual([SESSION_KEY]);
    });
  });

  describe('invalid-credentials', () => {
    it('reports an unknown key and says how to find its account', () => {
      // Prepare
      const correlator = newCorrelator();
      for (const entry of logLines(
        5,
        `InvalidClientTokenId: The security token included in the request is invalid. key=${KEY_UNKNOWN}`,
      )) {
        correlator.addLogEntry(entry);
      }

      // Act
      const incident = only(correlator.finish(), 'invalid-credentials');

      // Assess
      expect(incident.accessKeyIds).toEqual([KEY_UNKNOWN]);
      expect(incident.title).toBe('Unknown key AKIA…MPLE rejected 5 times');
      expect(incident.title).not.toContain(KEY_UNKNOWN);
      expect(incident.remediation.join(' ')).toContain('aws sts get-access-key-info');
    });

    it('names the user of an active known key failing with a bad signature: a wrong secret', () => {
      // Prepare
      const correlator = newCorrelator();
      for (const entry of logLines(
        5,
        `SignatureDoesNotMatch: The request signature we calculated does not match the signature you provided (${KEY_ACTIVE})`,
      )) {
        correlator.addLogEntry(entry);
      }

      // Act
      const incidents = correlator.finish();

      // Assess
      const incident = only(incidents, 'invalid-credentials');
      expect(incidents.some((i) => i.kind === 'revoked-key-in-use')).toBe(false);
      expect(incident.title).toBe('Active key AKIA…MPLE of ci-bot rejected 5 times: wrong secret');
      expect(incident.probableCauses.join(' ')).toContain('IAM user ci-bot');
    });

    it('points at a missing session token for a temporary key', () => {
      // Prepare
      const correlator = newCorrelator();
      for (const entry of logLines(
        5,
        `UnrecognizedClientException: The security token included in the request is invalid (${SESSION_KEY})`,
      )) {
        correlator.addLogEntry(entry);
      }

      // Act
      const incident = only(correlator.finish(), 'invalid-credentials');

      // Assess
      expect(incident.probableCauses.join(' ')).toContain('session token');
    });

    it('stays quiet at four failures', () => {
      // Prepare
      const correlator = newCorrelator();
      for (const entry of logLines(
        4,
        `InvalidAccessKeyId: The AWS Access Key Id you provided does not exist in our records. ${KEY_UNKNOWN}`,
      )) {
        correlator.addLogEntry(entry);
      }

      // Act / Assess
      expect(correlator.finish()).toEqual([]);
    });
  });

  describe('revoked-key-in-use from logs', () => {
    it('reports one failure with a key that is inactive here, not as invalid credentials', () => {
      // Prepare
      const correlator = newCorrelator();
      correlator.addLogEntry(
        logLine(
          `botocore.exceptions.ClientError: An error occurred (InvalidClientTokenId) ... ${KEY_INACTIVE}`,
        ),
      );

      // Act
      const incidents = correlator.finish();

      // Assess
      expect(incidents.map((i) => i.kind)).toEqual(['revoked-key-in-use']);
      const incident = only(incidents, 'revoked-key-in-use');
      expect(incident.severity).toBe('high');
      expect(incident.accessKeyIds).toEqual([KEY_INACTIVE]);
      expect(incident.principals).toEqual(['arn:aws:iam::123456789012:user/old-bot']);
      expect(incident.title).toBe(
        'Deactivated key AKIA…MPLE of old-bot still in use: rejected once',
      );
      expect(incident.evidence).toEqual(['logs', 'inventory']);
      expect(incident.probableCauses.join(' ')).toContain('AWS_ACCESS_KEY_ID');
    });

    it('reports a key deleted in CloudTrail even when the inventory no longer lists it', () => {
      // Prepare
      const correlator = newCorrelator();
      correlator.addCloudTrailRecord(
        trailRecord({
          eventTime: '2026-11-01T10:00:00Z',
          eventSource: 'iam.amazonaws.com',
          eventName: 'DeleteAccessKey',
          requestParameters: { userName: 'gone-bot', accessKeyId: KEY_UNKNOWN },
        }),
      );
      correlator.addLogEntry(
        logLine(
          `InvalidAccessKeyId: The AWS Access Key Id you provided does not exist in our records. ${KEY_UNKNOWN}`,
        ),
      );

      // Act
      const incident = only(correlator.finish(), 'revoked-key-in-use');

      // Assess
      expect(incident.title).toContain('Deleted key AKIA…MPLE of gone-bot');
      expect(incident.evidence).toEqual(['cloudtrail', 'logs']);
      expect(correlator.stats().outsideWindow).toBe(1);
    });

    it('keeps failures from before the deactivation as invalid credentials (the key was active then)', () => {
      // Prepare
      const correlator = newCorrelator({
        config: { incidents: { minEvents: { 'invalid-credentials': 1 } } },
      });
      correlator.addCloudTrailRecord(
        trailRecord({
          eventTime: '2026-11-20T11:00:00Z',
          eventSource: 'iam.amazonaws.com',
          eventName: 'UpdateAccessKey',
          requestParameters: { userName: 'old-bot', accessKeyId: KEY_INACTIVE, status: 'Inactive' },
        }),
      );
      correlator.addLogEntry(
        logLine(`InvalidClientTokenId ${KEY_INACTIVE}`, '2026-11-20 09:00:00.000'),
      );

      // Act
      const incidents = correlator.finish();

      // Assess: no last use is known, so the deactivation alone is not an incident either.
      expect(incidents.map((i) => i.kind)).toEqual(['invalid-credentials']);
      expect(incidents[0]?.title).toBe(
        'Active key AKIA…MPLE of old-bot rejected once: wrong secret',
      );
    });
  });

  describe('window and input hygiene', () => {
    it('counts lines outside the window and lines without a time, and ignores them', () => {
      // Prepare
      const correlator = newCorrelator();
      for (const entry of logLines(
        5,
        'NoCredentialsError',
        '/aws/lambda/a',
        '2026-11-18T09:00:00Z',
      )) {
        correlator.addLogEntry(entry);
      }
      correlator.addLogEntry({
        timestamp: 'not a time',
        logGroup: null,
        logStream: null,
        message: 'NoCredentialsError',
      });
      correlator.addLogEntry({
        timestamp: '2026-11-20 09:00:00',
        logGroup: null,
        logStream: null,
        message: 'all good',
      });

      // Act
      const incidents = correlator.finish();

      // Assess
      expect(incidents).toEqual([]);
      expect(correlator.stats()).toMatchObject({
        logLines: 7,
        logLinesIgnored: 2,
        outsideWindow: 5,
      });
    });

    it('keeps the same id when the same failures are seen from an overlapping window', () => {
      // Prepare
      const lines = logLines(5, 'NoCredentialsError', '/aws/lambda/a');
      const early = newCorrelator();
      const late = newCorrelator({
        window: { start: new Date('2026-11-20T06:00:00Z'), end: new Date('2026-11-21T06:00:00Z') },
      });
      for (const entry of lines) {
        early.addLogEntry(entry);
        late.addLogEntry(entry);
      }

      // Act
      const [a] = early.finish();
      const [b] = late.finish();

      // Assess
      expect(a?.id).toMatch(/^i-[0-9a-f]{16}$/);
      expect(a?.id).toBe(b?.id);
    });

    it('returns the same incidents when finish is called twice', () => {
      // Prepare
      const correlator = newCorrelator();
      correlator.addLogEntry(logLine(`InvalidClientTokenId ${KEY_INACTIVE}`));

      // Act
      const first = correlator.finish();
      const second = correlator.finish();

      // Assess
      expect(second).toEqual(first);
      expect(second[0]?.count).toBe(1);
    });

    it('removes disabled kinds', () => {
      // Prepare
      const correlator = newCorrelator({ config: { incidents: { disabled: ['no-credentials'] } } });
      for (const entry of logLines(10, 'NoCredentialsError')) correlator.addLogEntry(entry);

      // Act / Assess
      expect(correlator.finish()).toEqual([]);
    });

    it('keeps memory flat: one group per log group, bounded lists', () => {
      // Prepare
      const correlator = newCorrelator();
      for (let i = 0; i < 20_000; i += 1) {
        correlator.addLogEntry({
          timestamp: Date.parse('2026-11-20T09:00:00Z') + i,
          logGroup: '/aws/lambda/busy',
          logStream: null,
          message: `ExpiredTokenException ASIA2DEMO${String(i).padStart(4, '0').slice(-4)}EXAMPLE`,
        });
      }

      // Act
      const incident = only(correlator.finish(), 'expired-credentials');

      // Assess
      expect(incident.count).toBe(20_000);
      expect(incident.accessKeyIds.length).toBe(50);
      expect(incident.probableCauses.join(' ')).toContain('further values were counted');
    });
  });
});
