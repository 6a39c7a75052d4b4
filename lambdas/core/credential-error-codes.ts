import type { CredentialFailure } from './log-line.js';

/**
 * AWS error codes by the credential failure they mean: one table for the workload log lines
 * we read and for the SDK errors our own calls get, so the two never disagree about a code.
 * Within a failure, a code that contains another comes first (`ExpiredTokenException` before
 * `ExpiredToken`), because log lines are searched in this order.
 */
export const CREDENTIAL_ERROR_CODES: Readonly<Record<CredentialFailure, readonly string[]>> = {
  'clock-skew': ['RequestTimeTooSkewed'],
  expired: ['ExpiredTokenException', 'ExpiredToken', 'RequestExpired', 'TokenRefreshRequired'],
  invalid: [
    'InvalidClientTokenId',
    'UnrecognizedClientException',
    'InvalidAccessKeyId',
    'SignatureDoesNotMatch',
    'InvalidSignatureException',
    'AuthFailure',
    'IncompleteSignature',
  ],
  'no-credentials': [
    'NoCredentialsError',
    'CredentialsProviderError',
    'NoCredentialProviders',
    'ProfileNotFound',
    'CredentialRetrievalError',
  ],
};

/**
 * What AWS says when the caller's clock is off. It reports most of these as
 * `SignatureDoesNotMatch`, which would otherwise read as a wrong secret key.
 */
export const CLOCK_SKEW_TEXT =
  /Signature expired|Signature not yet current|difference between the request time and the current time is too large|request time too skewed|clock skew/i;
