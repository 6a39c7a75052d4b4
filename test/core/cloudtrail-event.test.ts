import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeCloudTrailRecord, principalOf } from '../../lambdas/core/cloudtrail-event.js';

const ASSUME_ROLE = {
  eventVersion: '1.05',
  userIdentity: {
    type: 'IAMUser',
    principalId: 'AIDAQRSTUVWXYZEXAMPLE',
    arn: 'arn:aws:iam::777788889999:user/JohnDoe',
    accountId: '777788889999',
    accessKeyId: 'AKIAQRSTUVWXYZEXAMPLE',
    userName: 'JohnDoe',
  },
  eventTime: '2014-07-18T15:07:39Z',
  eventSource: 'sts.amazonaws.com',
  eventName: 'AssumeRole',
  sourceIPAddress: '192.0.2.101',
  userAgent: 'aws-cli/1.11.10 Python/2.7.8 Linux/3.2.45 botocore/1.4.67',
  requestParameters: {
    roleArn: 'arn:aws:iam::111122223333:role/EC2-dev',
    roleSessionName: 'JohnDoe-EC2-dev',
  },
  responseElements: {
    credentials: {
      sessionToken: '<blob>',
      accessKeyId: 'ASIAQRSTUVWXYZEXAMPLE',
      expiration: 'Jul 18, 2014, 4:07:39 PM',
    },
    assumedRoleUser: {
      assumedRoleId: 'AROAQRSTUVWXYZEXAMPLE:JohnDoe-EC2-dev',
      arn: 'arn:aws:sts::111122223333:assumed-role/EC2-dev/JohnDoe-EC2-dev',
    },
  },
};

describe('normalizeCloudTrailRecord', () => {
  it('reads an STS issuance with its non-ISO expiration', () => {
    // Act
    const event = normalizeCloudTrailRecord(ASSUME_ROLE);

    // Assess
    expect(event?.issuedCredentials).toEqual({
      accessKeyId: 'ASIAQRSTUVWXYZEXAMPLE',
      expiration: new Date('2014-07-18T16:07:39Z'),
      roleArn: 'arn:aws:iam::111122223333:role/EC2-dev',
      sessionName: 'JohnDoe-EC2-dev',
    });
    expect(event?.identity.accessKeyId).toBe('AKIAQRSTUVWXYZEXAMPLE');
    expect(event && principalOf(event.identity)).toBe('arn:aws:iam::777788889999:user/JohnDoe');
  });

  it('reads LookupEvents items, JSON strings and EventBridge envelopes alike', () => {
    // Prepare
    const shapes = [
      { EventId: '1', CloudTrailEvent: JSON.stringify(ASSUME_ROLE) },
      JSON.stringify(ASSUME_ROLE),
      { 'detail-type': 'AWS API Call via CloudTrail', source: 'aws.sts', detail: ASSUME_ROLE },
    ];

    // Act / Assess
    for (const shape of shapes)
      expect(normalizeCloudTrailRecord(shape)?.eventName).toBe('AssumeRole');
  });

  it('reads empty strings as missing and keeps the anonymous principal', () => {
    // Act
    const event = normalizeCloudTrailRecord({
      eventTime: '2018-11-28T23:02:56Z',
      eventSource: 's3.amazonaws.com',
      eventName: 'GetObject',
      userIdentity: { type: 'AWSAccount', principalId: '', accountId: 'ANONYMOUS_PRINCIPAL' },
    });

    // Assess
    expect(event?.identity.principalId).toBeNull();
    expect(event?.identity.accountId).toBe('ANONYMOUS_PRINCIPAL');
  });

  it('names root by its ARN and assumed roles by their session ARN', () => {
    const root = normalizeCloudTrailRecord({
      eventTime: '2026-11-20T10:00:00Z',
      eventName: 'X',
      userIdentity: { type: 'Root', accountId: '123456789012' },
    });
    expect(root && principalOf(root.identity)).toBe('arn:aws:iam::123456789012:root');
  });

  it.each([
    null,
    1,
    'x',
    '{"eventName":1}',
    {},
    { eventName: 'X' },
    { eventTime: '2026-11-20T10:00:00Z' },
    [ASSUME_ROLE],
  ])('gives null for %s', (raw) => {
    expect(normalizeCloudTrailRecord(raw)).toBeNull();
  });

  it('never throws on random JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        normalizeCloudTrailRecord(value);
        normalizeCloudTrailRecord(JSON.stringify(value));
      }),
    );
  });
});
