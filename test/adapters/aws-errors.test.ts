import { describe, expect, it } from 'vitest';
import {
  AwsApiError,
  AwsPermissionError,
  CredentialChainError,
  type CredentialFailureReason,
  explainCredentialFailure,
  isThrottling,
  toCredentialHealthError,
} from '../../lambdas/adapters/aws-errors.js';
import { CREDENTIAL_ERROR_CODES } from '../../lambdas/core/credential-error-codes.js';
import { RequiredSourceError } from '../../lambdas/core/errors.js';
import { type CredentialFailure, classifyLogLine } from '../../lambdas/core/log-line.js';

function sdkError(name: string, message = 'from AWS'): Error {
  return Object.assign(new Error(message), { name });
}

describe('explainCredentialFailure', () => {
  it('points at the profile when the chain found nothing for a missing profile', () => {
    // Prepare
    const error = sdkError(
      'CredentialsProviderError',
      'Could not load credentials from any providers',
    );

    // Act
    const explained = explainCredentialFailure(error, { profile: 'dev', profileFound: false });

    // Assess
    expect(explained).toBeInstanceOf(CredentialChainError);
    expect(explained).toBeInstanceOf(RequiredSourceError);
    expect(explained?.reason).toBe('missing');
    expect(explained?.message).toBe(
      'AWS credentials not found (profile "dev"): profile "dev" is not in ~/.aws/config or ~/.aws/credentials: check the name (aws configure list-profiles)',
    );
  });

  it('lists the ways to give credentials when no profile was named', () => {
    const explained = explainCredentialFailure(sdkError('CredentialsProviderError'), {});

    expect(explained?.step).toContain('default credential chain');
    expect(explained?.fix).toContain('AWS_ACCESS_KEY_ID');
    expect(explained?.fix).toContain('aws sso login');
  });

  it('blames stale environment variables for an expired token when they are set', () => {
    const explained = explainCredentialFailure(
      sdkError('ExpiredToken', 'The security token included in the request is expired'),
      {
        envKeys: true,
        envSessionToken: true,
        profile: 'dev',
      },
    );

    expect(explained?.reason).toBe('expired');
    expect(explained?.step).toBe('environment variables AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY');
    expect(explained?.fix).toContain('override every profile');
  });

  it('tells an SSO user to log in again', () => {
    const explained = explainCredentialFailure(
      sdkError(
        'CredentialsProviderError',
        'The SSO session associated with this profile has expired or is otherwise invalid',
      ),
      { profile: 'sso-dev' },
    );

    expect(explained?.reason).toBe('sso-expired');
    expect(explained?.fix).toBe('run `aws sso login --profile sso-dev` and try again');
  });

  it('separates a bad secret from an unknown key id', () => {
    const signature = explainCredentialFailure(sdkError('SignatureDoesNotMatch'), {
      profile: 'dev',
    });
    const unknown = explainCredentialFailure(sdkError('InvalidClientTokenId'), { envKeys: true });

    expect(signature?.fix).toContain('secret key does not match');
    expect(unknown?.fix).toContain('key id is unknown to AWS');
    expect(unknown?.fix).toContain('AWS_ACCESS_KEY_ID in the environment overrides every profile');
  });

  it('tells a skewed clock from a bad secret, whichever code AWS used', () => {
    // Prepare: AWS answers most skewed requests with SignatureDoesNotMatch.
    const skewed = sdkError(
      'SignatureDoesNotMatch',
      'Signature expired: 20261120T110000Z is now earlier than 20261120T115500Z',
    );

    // Act
    const bySignature = explainCredentialFailure(skewed, { profile: 'dev' });
    const byCode = explainCredentialFailure(sdkError('RequestTimeTooSkewed'), {});
    const assumingRole = explainCredentialFailure(
      skewed,
      { roleArn: 'arn:aws:iam::111122223333:role/credential-health-scan' },
      'AssumeRole',
    );

    // Assess
    expect(bySignature?.reason).toBe('clock-skew');
    expect(bySignature?.fix).toContain('clock');
    expect(byCode?.reason).toBe('clock-skew');
    expect(assumingRole?.reason).toBe('clock-skew');
    expect(bySignature?.message).toMatch(/^AWS credentials were refused for the clock/);
  });

  it('reads every credential error code the way the log-line reader does', () => {
    // The SDK errors of our own calls and the workload log lines share one table of codes.
    const expected: Record<CredentialFailure, CredentialFailureReason> = {
      'clock-skew': 'clock-skew',
      expired: 'expired',
      invalid: 'invalid',
      'no-credentials': 'missing',
    };
    for (const [failure, codes] of Object.entries(CREDENTIAL_ERROR_CODES)) {
      for (const code of codes) {
        // Act
        const fromSdk = explainCredentialFailure(sdkError(code), {});
        const fromLog = classifyLogLine(`${code}: the request failed`);

        // Assess
        expect(fromSdk?.reason, code).toBe(expected[failure as CredentialFailure]);
        expect(fromLog?.failure, code).toBe(failure);
      }
    }
  });

  it('names the role when it cannot be assumed', () => {
    const roleArn = 'arn:aws:iam::111122223333:role/credential-health-scan';

    const explained = explainCredentialFailure(sdkError('AccessDenied'), { roleArn }, 'AssumeRole');

    expect(explained?.reason).toBe('role-not-assumed');
    expect(explained?.step).toBe(`assuming ${roleArn}`);
  });

  it('is null for an error that has nothing to do with credentials', () => {
    expect(explainCredentialFailure(sdkError('NoSuchEntity'), {})).toBeNull();
    expect(explainCredentialFailure(sdkError('AccessDenied'), {}, 'GetUser')).toBeNull();
  });
});

describe('toCredentialHealthError', () => {
  it('turns AccessDenied into a permission error naming the operation', () => {
    const error = toCredentialHealthError(
      sdkError('AccessDenied', 'User: x is not authorized'),
      'iam:GetAccountSummary',
    );

    expect(error).toBeInstanceOf(AwsPermissionError);
    expect(error.message).toBe(
      'not allowed to call iam:GetAccountSummary: User: x is not authorized',
    );
  });

  it('keeps only the first line of a message and the error code', () => {
    const error = toCredentialHealthError(
      sdkError('ServiceUnavailable', 'down\nstack details'),
      'iam:GetUser',
    );

    expect(error).toBeInstanceOf(AwsApiError);
    expect(error.message).toBe('iam:GetUser failed: ServiceUnavailable: down');
  });

  it('explains a missing Region', () => {
    const error = toCredentialHealthError(new Error('Region is missing'), 'sts:GetCallerIdentity');

    expect(error.message).toContain('pass --region or set AWS_REGION');
  });
});

describe('isThrottling', () => {
  it.each([
    'ThrottlingException',
    'Throttling',
    'LimitExceededException',
    'TooManyRequestsException',
  ])('is true for %s', (name) => {
    expect(isThrottling(sdkError(name))).toBe(true);
  });

  it('is false for other errors', () => {
    expect(isThrottling(sdkError('AccessDenied'))).toBe(false);
    expect(isThrottling('ThrottlingException')).toBe(false);
  });
});
