import { describe, expect, it } from 'vitest';
import { parseAppContext } from '../../lib/app-context.js';

const from = (context: Record<string, unknown>) => parseAppContext((key) => context[key]);

describe('parseAppContext', () => {
  it('reads comma-separated lists, whole numbers and strings as the command line gives them', () => {
    const { settings, errors } = from({
      notifyEmails: 'a@example.com, b@example.com',
      maxKeyAgeDays: '60',
      slackWebhookSecretName: 'credhealth/slack',
      cloudTrail: 's3',
      cloudTrailBucket: 'org-trail',
      watchLambdaLogGroups: 'false',
    });
    expect(errors).toEqual([]);
    expect(settings).toEqual({
      notifyEmails: ['a@example.com', 'b@example.com'],
      maxKeyAgeDays: 60,
      slackWebhookSecretName: 'credhealth/slack',
      cloudTrail: 's3',
      cloudTrailBucket: 'org-trail',
      watchLambdaLogGroups: false,
    });
  });

  it('reads JSON arrays and numbers as cdk.json gives them', () => {
    const { settings } = from({ logGroups: ['/app/a', '/app/b'], trailWatchMinutes: 30 });
    expect(settings).toEqual({ logGroups: ['/app/a', '/app/b'], trailWatchMinutes: 30 });
  });

  it('leaves out empty values', () => {
    expect(from({ notifyEmails: '', ownerEmails: ' , ' }).settings).toEqual({});
  });

  it.each([
    [{ maxKeyAgeDays: 'ninety' }, 'context maxKeyAgeDays must be a whole number, got "ninety"'],
    [{ notifyEmails: 42 }, 'context notifyEmails must be a comma-separated list, got 42'],
    [{ cloudTrail: 'athena' }, 'context cloudTrail must be auto, lookup or s3, got "athena"'],
    [
      { cloudTrail: 's3' },
      'context cloudTrailBucket must name the trail bucket when cloudTrail is s3, got nothing',
    ],
    [
      { cloudTrail: 'lookup', cloudTrailBucket: 'b' },
      'context cloudTrailBucket is only read when cloudTrail is s3, got cloudTrail=lookup',
    ],
    [
      { cloudTrailBucket: 'b' },
      'context cloudTrailBucket is only read when cloudTrail is s3, got cloudTrail=auto (the default)',
    ],
    [
      { cloudTrail: 'auto', cloudTrailPrefix: 'org' },
      'context cloudTrailPrefix is only read when cloudTrail is s3, got cloudTrail=auto',
    ],
    [
      { watchLambdaLogGroups: 'yes' },
      'context watchLambdaLogGroups must be true or false, got "yes"',
    ],
    [{ exemptionTagKey: 7 }, 'context exemptionTagKey must be a string, got 7'],
  ])('fails when %j', (context, message) => {
    expect(from(context).errors).toEqual([message]);
  });
});
