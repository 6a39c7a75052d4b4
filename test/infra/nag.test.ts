import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import type { AppSettings } from '../../lib/app-context.js';
import { synthStack } from './synth.js';

function violations(settings: AppSettings): string[] {
  const { app } = synthStack(settings);
  const report = new AwsSolutionsChecks(app).validateScope(app);
  return report.violations.map(
    (v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.resourceLogicalId).join(', ')}`,
  );
}

describe('cdk-nag AwsSolutions gate', () => {
  it.each<[string, AppSettings]>([
    ['the defaults', {}],
    [
      'every option on',
      {
        notifyEmails: ['sec@example.com'],
        ownerEmails: ['alice@example.com'],
        slackWebhookSecretName: 'credhealth/slack',
        cloudTrail: 's3',
        cloudTrailBucket: 'org-trail',
        cloudTrailPrefix: 'org',
        logGroups: ['/app/orders', '/ecs/etl'],
      },
    ],
    [
      'an existing topic and no Lambda log groups',
      { topicArn: 'arn:aws:sns:eu-west-1:123456789012:t', watchLambdaLogGroups: false },
    ],
  ])('has no unacknowledged finding with %s', (_name, settings) => {
    expect(violations(settings)).toEqual([]);
  });

  it('acknowledges each IAM5 finding on the exact policy, with a reason', () => {
    const { app } = synthStack({ logGroups: ['/app/orders'] });
    const acknowledgements = app.node
      .findAll()
      .flatMap((c) =>
        c.node.metadata
          .filter((m) => m.type === 'aws:cdk:acknowledged-rules')
          .flatMap((m) =>
            Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({
              path: c.node.path,
              id,
              reason,
            })),
          ),
      )
      .filter((a) => a.id.includes('IAM5'));
    expect(acknowledgements.length).toBeGreaterThan(0);
    for (const a of acknowledgements) {
      expect(a.path).toMatch(/\/(Role|\w+ScheduleRole)\/DefaultPolicy$/);
      expect(a.id).not.toBe('Annotation::AwsSolutions-IAM5');
      expect(a.reason.length).toBeGreaterThan(40);
    }
  });
});
