import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_REDACTED_LENGTH, REDACTED, redactSecrets } from '../../lambdas/core/redact.js';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const OTHER_SECRET = 'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY';
const SESSION_TOKEN = `IQoJb3JpZ2luX2VjEXAMPLEKEY${'A1b2C3d4E5f6'.repeat(12)}==`;

describe('redactSecrets', () => {
  it.each([
    [`aws_secret_access_key = ${SECRET}`, 'aws_secret_access_key = [REDACTED]'],
    [`AWS_SECRET_ACCESS_KEY=${SECRET}`, 'AWS_SECRET_ACCESS_KEY=[REDACTED]'],
    [`{"SecretAccessKey": "${SECRET}"}`, '{"SecretAccessKey": "[REDACTED]"}'],
    [`secret: ${OTHER_SECRET}`, 'secret: [REDACTED]'],
    [`--secret-access-key ${SECRET}`, '--secret-access-key [REDACTED]'],
    [
      'postgres://app:s3cr3tEXAMPLEKEY@db.internal:5432/app',
      'postgres://app:[REDACTED]@db.internal:5432/app',
    ],
    [
      'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.EXAMPLEKEY.sig',
      'Authorization: Bearer [REDACTED]',
    ],
    ['password=hunter2EXAMPLEKEY&user=x', 'password=[REDACTED]&user=x'],
  ])('removes the secret from %s', (text, expected) => {
    expect(redactSecrets(text)).toBe(expected);
  });

  it('removes session tokens wherever they appear', () => {
    // Act
    const out = redactSecrets(
      `export AWS_SESSION_TOKEN=${SESSION_TOKEN} and later ${SESSION_TOKEN}`,
    );

    // Assess
    expect(out).not.toContain('EXAMPLEKEY');
    expect(out).toContain(REDACTED);
  });

  it('removes the signature of an AWS Authorization header but keeps the key id', () => {
    // Prepare
    const header =
      'Authorization: AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261120/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024';

    // Act
    const out = redactSecrets(header);

    // Assess
    expect(out).toContain('AKIAIOSFODNN7EXAMPLE');
    expect(out).not.toContain('fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024');
  });

  it('removes signed URL parameters', () => {
    const out = redactSecrets(
      'GET https://b.s3.amazonaws.com/k?X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20261120&X-Amz-Security-Token=FwoGZXIvYXdzEXAMPLEKEY&X-Amz-Signature=abcdef0123456789',
    );
    expect(out).not.toContain('FwoGZXIvYXdzEXAMPLEKEY');
    expect(out).not.toContain('abcdef0123456789');
  });

  it('removes a bare 40-character secret key next to its key id', () => {
    expect(redactSecrets(`AKIAIOSFODNN7EXAMPLE ${SECRET}`)).toBe(
      `AKIAIOSFODNN7EXAMPLE ${REDACTED}`,
    );
  });

  it('keeps AWS error texts, key ids and hex digests intact', () => {
    // Prepare
    const lines = [
      'ExpiredToken: The security token included in the request is expired',
      'InvalidClientTokenId: The security token included in the request is invalid. AKIAIOSFODNN7EXAMPLE',
      'SignatureDoesNotMatch: Signature expired: 20261120T085500Z is now earlier than 20261120T090000Z',
      'commit 0123456789abcdef0123456789abcdef01234567 deployed',
      '/aws/lambda/orders-sync',
    ];

    // Act / Assess
    for (const line of lines) expect(redactSecrets(line)).toBe(line);
  });

  it('cuts very long text', () => {
    expect(redactSecrets('x '.repeat(5_000)).length).toBeLessThanOrEqual(MAX_REDACTED_LENGTH + 1);
  });

  it('never lets a generated secret through after a secret-looking name', () => {
    const secretChar = fc.constantFrom(
      ...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+'.split(''),
    );
    fc.assert(
      fc.property(
        fc.constantFrom(
          'aws_secret_access_key=',
          'SecretAccessKey: ',
          '"secretAccessKey":"',
          'password=',
          'token: ',
          'aws_session_token = ',
        ),
        fc
          .array(secretChar, { minLength: 16, maxLength: 60 })
          .map((chars) => `${chars.join('')}EXAMPLEKEY`),
        fc.string({ maxLength: 20 }).filter((s) => !/[A-Za-z0-9/+]$/.test(s)),
        (name, secret, prefix) => {
          expect(redactSecrets(`${prefix} ${name}${secret}`)).not.toContain(secret);
        },
      ),
    );
  });

  it('never throws', () => {
    fc.assert(fc.property(fc.string({ maxLength: 3_000 }), (text) => void redactSecrets(text)));
  });
});
