import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { accessKeyIdsIn, classifyLogLine } from '../../lambdas/core/log-line.js';

describe('classifyLogLine', () => {
  it.each([
    [
      'botocore.exceptions.NoCredentialsError: Unable to locate credentials',
      'no-credentials',
      'NoCredentialsError',
    ],
    [
      'Unable to locate credentials. You can configure credentials by running "aws configure".',
      'no-credentials',
      'NoCredentialsError',
    ],
    [
      'ERROR Invoke Error {"errorType":"CredentialsProviderError","errorMessage":"Could not load credentials from any providers"}',
      'no-credentials',
      'CredentialsProviderError',
    ],
    [
      'NoCredentialProviders: no valid providers in chain. Deprecated.',
      'no-credentials',
      'NoCredentialProviders',
    ],
    [
      'software.amazon.awssdk.core.exception.SdkClientException: Unable to load credentials from any of the providers in the chain',
      'no-credentials',
      'NoCredentialsError',
    ],
    [
      'botocore.exceptions.ProfileNotFound: The config profile (prod) could not be found',
      'no-credentials',
      'ProfileNotFound',
    ],
    [
      'An error occurred (ExpiredToken) when calling the GetCallerIdentity operation: The security token included in the request is expired',
      'expired',
      'ExpiredToken',
    ],
    [
      'ExpiredTokenException: The security token included in the request is expired',
      'expired',
      'ExpiredTokenException',
    ],
    ['S3 error: The provided token has expired.', 'expired', 'ExpiredToken'],
    [
      'An error occurred (RequestExpired) when calling the DescribeInstances operation: Request has expired.',
      'expired',
      'RequestExpired',
    ],
    [
      'Error when retrieving token from sso: Token has expired and refresh failed',
      'expired',
      'ExpiredToken',
    ],
    [
      'An error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation: The security token included in the request is invalid.',
      'invalid',
      'InvalidClientTokenId',
    ],
    [
      'UnrecognizedClientException: The security token included in the request is invalid',
      'invalid',
      'UnrecognizedClientException',
    ],
    [
      'InvalidAccessKeyId: The AWS Access Key Id you provided does not exist in our records.',
      'invalid',
      'InvalidAccessKeyId',
    ],
    [
      'SignatureDoesNotMatch: The request signature we calculated does not match the signature you provided.',
      'invalid',
      'SignatureDoesNotMatch',
    ],
    [
      'AuthFailure: AWS was not able to validate the provided access credentials',
      'invalid',
      'AuthFailure',
    ],
    [
      'SignatureDoesNotMatch: Signature expired: 20261120T085500Z is now earlier than 20261120T090000Z',
      'clock-skew',
      'SignatureExpired',
    ],
    [
      'InvalidSignatureException: Signature expired: 20261120T085500Z is now earlier than 20261120T090000Z',
      'clock-skew',
      'SignatureExpired',
    ],
    [
      'RequestTimeTooSkewed: The difference between the request time and the current time is too large.',
      'clock-skew',
      'RequestTimeTooSkewed',
    ],
  ])('classifies %s', (message, failure, errorCode) => {
    // Act
    const result = classifyLogLine(message);

    // Assess
    expect(result?.failure).toBe(failure);
    expect(result?.errorCode).toBe(errorCode);
  });

  it.each([
    'GET /health 200',
    'AccessDenied: User is not authorized to perform: s3:GetObject',
    'Refreshing credentials in 300 seconds',
    'token refreshed successfully',
    'NotExpiredTokenAtAll is a variable name',
    '',
  ])('ignores %s', (message) => {
    expect(classifyLogLine(message)).toBeNull();
  });

  it('collects key ids and hints', () => {
    // Act
    const result = classifyLogLine(
      'NoCredentialsError: Unable to locate credentials (tried env AWS_ACCESS_KEY_ID, credential_process, 169.254.169.254) last key AKIAIOSFODNN7EXAMPLE',
    );

    // Assess
    expect(result?.accessKeyIds).toEqual(['AKIAIOSFODNN7EXAMPLE']);
    expect(result?.hints).toEqual(
      expect.arrayContaining(['imds', 'credential-process', 'env-vars']),
    );
  });

  it('returns at most five distinct key ids', () => {
    const text = Array.from(
      { length: 8 },
      (_, i) => `AKIA2DEMO000${i}EXAMPLE AKIA2DEMO000${i}EXAMPLE`,
    ).join(' ');
    expect(accessKeyIdsIn(text)).toHaveLength(5);
  });

  it('never throws on random text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 10_000 }), (text) => void classifyLogLine(text)));
  });
});
