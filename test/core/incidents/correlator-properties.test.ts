import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LogEntry } from '../../../lambdas/core/sources.js';
import { filterEventsFixture, newCorrelator, trailFixture } from './support.js';

/** A value of any JSON type, or something shaped like the field CloudTrail would put there. */
const anyField = fc.oneof(
  fc.jsonValue(),
  fc.constantFrom(
    '2026-11-20T10:00:00Z',
    'Nov 20, 2026, 10:00:00 AM',
    'AKIA2DEMO0000EXAMPLE',
    'ASIA2DEMO0000EXAMPLE',
    'AccessDenied',
    'ExpiredToken',
    'ConsoleLogin',
    'AssumeRole',
    'UpdateAccessKey',
    'DeleteAccessKey',
    'AttachUserPolicy',
    'Root',
    'ANONYMOUS_PRINCIPAL',
    'iam.amazonaws.com',
    'sts.amazonaws.com',
  ),
);

/** Records that look like CloudTrail, with every field possibly of the wrong type. */
const recordLike = fc.record(
  {
    eventTime: anyField,
    eventName: anyField,
    eventSource: anyField,
    errorCode: anyField,
    errorMessage: anyField,
    sourceIPAddress: anyField,
    userAgent: anyField,
    userIdentity: fc.oneof(
      anyField,
      fc.record(
        {
          type: anyField,
          arn: anyField,
          accessKeyId: anyField,
          accountId: anyField,
          userName: anyField,
          principalId: anyField,
          invokedBy: anyField,
          sessionContext: anyField,
        },
        { requiredKeys: [] },
      ),
    ),
    requestParameters: fc.oneof(
      anyField,
      fc.record(
        {
          accessKeyId: anyField,
          status: anyField,
          userName: anyField,
          policyArn: anyField,
          policyName: anyField,
          bucketName: anyField,
          roleArn: anyField,
        },
        { requiredKeys: [] },
      ),
    ),
    responseElements: fc.oneof(
      anyField,
      fc.record(
        {
          ConsoleLogin: anyField,
          credentials: fc.oneof(
            anyField,
            fc.record({ accessKeyId: anyField, expiration: anyField }, { requiredKeys: [] }),
          ),
        },
        { requiredKeys: [] },
      ),
    ),
  },
  { requiredKeys: [] },
);

const logEntryLike = fc.record({
  timestamp: fc.oneof(
    fc.string(),
    fc.integer(),
    fc.double(),
    fc.constant(null),
    fc.constant('2026-11-20 09:00:00.000'),
  ),
  logGroup: fc.oneof(fc.string(), fc.constant(null)),
  logStream: fc.oneof(fc.string(), fc.constant(null)),
  message: fc.oneof(
    fc.string({ maxLength: 500 }),
    fc.constantFrom(
      'NoCredentialsError',
      'ExpiredToken ASIA2DEMO0000EXAMPLE',
      'InvalidClientTokenId AKIA2DEMO0001EXAMPLE',
      'Signature expired',
    ),
  ),
});

describe('correlator properties', () => {
  it('never throws on any value offered as a CloudTrail record', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.anything(), fc.jsonValue(), recordLike, fc.string()), {
          maxLength: 30,
        }),
        (records) => {
          // Prepare
          const correlator = newCorrelator();

          // Act
          for (const record of records) correlator.addCloudTrailRecord(record);
          const incidents = correlator.finish();

          // Assess
          expect(correlator.stats().cloudTrailRecords).toBe(records.length);
          for (const incident of incidents) expect(incident.count).toBeGreaterThan(0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never throws on any log entry, even ones that break the type', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            logEntryLike,
            fc.anything().map((v) => v as LogEntry),
          ),
          { maxLength: 30 },
        ),
        (entries) => {
          // Prepare
          const correlator = newCorrelator({
            config: {
              incidents: {
                minEvents: {
                  'no-credentials': 1,
                  'expired-credentials': 1,
                  'invalid-credentials': 1,
                  'clock-skew': 1,
                },
              },
            },
          });

          // Act
          for (const entry of entries) correlator.addLogEntry(entry);
          correlator.finish();

          // Assess
          const stats = correlator.stats();
          expect(stats.logLines).toBe(entries.length);
          expect(stats.logLinesIgnored + stats.outsideWindow).toBeLessThanOrEqual(entries.length);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('gives the same incidents whatever order the records and log lines arrive in', () => {
    // Prepare: the log lines fail with the key of the session that ran out, so they fold together.
    const inputs: Input[] = [
      ...trailFixture('session-ran-out.json'),
      ...trailFixture('key-deactivated-after-use.json'),
      ...trailFixture('access-denied.json'),
      ...trailFixture('console-login-failures.json'),
      ...trailFixture('key-quarantined-replaced.json'),
    ].map((record) => ({ record }));
    for (const entry of filterEventsFixture('filter-expired-token.json', '/ecs/web'))
      inputs.push({ entry });
    const reference = JSON.stringify(feed(inputs));

    // Act / Assess
    fc.assert(
      fc.property(
        fc.shuffledSubarray(inputs, { minLength: inputs.length, maxLength: inputs.length }),
        (shuffled) => {
          expect(JSON.stringify(feed(shuffled))).toBe(reference);
        },
      ),
      { numRuns: 30 },
    );
    expect(reference).toContain('SessionExpiredInUse');
    expect(reference).toContain('key-quarantined');
  });
});

type Input = { readonly record: unknown } | { readonly entry: LogEntry };

function feed(inputs: readonly Input[]) {
  const correlator = newCorrelator();
  for (const input of inputs) {
    if ('entry' in input) correlator.addLogEntry(input.entry);
    else correlator.addCloudTrailRecord(input.record);
  }
  return correlator.finish();
}
