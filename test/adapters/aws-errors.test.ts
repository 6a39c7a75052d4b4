import { describe, expect, it } from 'vitest';
import {
  AwsApiError,
  AwsPermissionError,
  CredentialChainError,
  explainCredentialFailure,
  isThrottling,
  toCredentialHealthError,
} from '../../lambdas/adapters/aws-errors.js';
import { RequiredSourceError } from '../../lambdas/core/errors.js';

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
