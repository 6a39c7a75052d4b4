import { describe, expect, it } from 'vitest';
import { describeError, InputFormatError } from '../../lambdas/core/errors.js';

describe('describeError', () => {
  it('names the error class and message, without the stack', () => {
    // Prepare
    const error = new InputFormatError('credential-report.csv: no header');
    // Act
    const line = describeError(error);
    // Assess
    expect(line).toBe('InputFormatError: credential-report.csv: no header');
  });

  it('describes a thrown value that is not an Error', () => {
    expect(describeError('Throttling')).toBe('Throttling');
    expect(describeError(undefined)).toBe('undefined');
  });

  it('stops at 300 characters', () => {
    // Act
    const line = describeError(new Error('x'.repeat(400)));
    // Assess
    expect(line).toHaveLength(300);
    expect(line.startsWith('Error: xxx')).toBe(true);
  });
});
