import { describe, expect, it } from 'vitest';
import type { CredentialHint } from '../../../lambdas/core/log-line.js';
import {
  type AdviceContext,
  adviseIncident,
} from '../../../lambdas/core/remediation/incident-advice.js';
import { INCIDENT_KINDS } from '../../../lambdas/core/report.js';
import type { RuntimeHint, UserAgentFamily } from '../../../lambdas/core/user-agent.js';

function context(overrides: Partial<AdviceContext> & Pick<AdviceContext, 'kind'>): AdviceContext {
  return {
    runtimes: new Set<RuntimeHint>(),
    families: new Set<UserAgentFamily>(),
    hints: new Set<CredentialHint>(),
    errorCodes: [],
    ...overrides,
  };
}

describe('adviseIncident', () => {
  it.each(INCIDENT_KINDS)('gives at least one cause and one fix for %s', (kind) => {
    // Act
    const advice = adviseIncident(context({ kind }));

    // Assess
    expect(advice.probableCauses.length).toBeGreaterThan(0);
    expect(advice.remediation.length).toBeGreaterThan(0);
    expect(new Set(advice.remediation).size).toBe(advice.remediation.length);
  });

  it('tells an ECS task about taskRoleArn, and an EC2 instance about the IMDSv2 hop limit', () => {
    const ecs = adviseIncident(
      context({ kind: 'no-credentials', runtimes: new Set<RuntimeHint>(['ecs']) }),
    );
    const ec2 = adviseIncident(
      context({ kind: 'no-credentials', runtimes: new Set<RuntimeHint>(['ec2']) }),
    );
    expect(ecs.remediation.join(' ')).toContain('taskRoleArn');
    expect(ecs.remediation.join(' ')).not.toContain('hop-limit');
    expect(ec2.remediation.join(' ')).toContain('--http-put-response-hop-limit 2');
    expect(ec2.remediation.join(' ')).not.toContain('taskRoleArn');
  });

  it('tells SSO users to sign in again', () => {
    const advice = adviseIncident(
      context({ kind: 'expired-credentials', runtimes: new Set<RuntimeHint>(['sso']) }),
    );
    expect(advice.remediation.join(' ')).toContain('aws sso login');
  });

  it('names credential_process and file permission problems when the line shows them', () => {
    const advice = adviseIncident(
      context({
        kind: 'no-credentials',
        hints: new Set<CredentialHint>(['credential-process', 'file-permissions', 'profile']),
      }),
    );
    const text = advice.remediation.join(' ');
    expect(text).toContain('credential_process');
    expect(text).toContain('chmod 600');
    expect(text).toContain('aws configure list-profiles');
  });

  it('separates a wrong secret for a known key from an unknown key', () => {
    const known = adviseIncident(
      context({ kind: 'invalid-credentials', keyUser: 'ci-bot', keyStatus: 'Active' }),
    );
    const unknown = adviseIncident(context({ kind: 'invalid-credentials' }));
    expect(known.probableCauses.join(' ')).toContain('ci-bot');
    expect(known.remediation.join(' ')).not.toContain('get-access-key-info');
    expect(unknown.remediation.join(' ')).toContain('get-access-key-info');
  });

  it('names the denied actions and resources', () => {
    const advice = adviseIncident(
      context({
        kind: 'access-denied',
        actions: ['s3:GetObject'],
        resources: ['arn:aws:s3:::b/k'],
      }),
    );
    expect(advice.probableCauses).toContain('Denied: s3:GetObject on arn:aws:s3:::b/k.');
  });

  it('says how soon after its last use a key was revoked', () => {
    const advice = adviseIncident(
      context({ kind: 'revoked-key-in-use', keyUser: 'x', revokedHoursAfterUse: 0.25 }),
    );
    expect(advice.probableCauses[0]).toContain('15 min');
  });
});
