import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import {
  parseFunctionName,
  parseLogGroups,
  parseLookback,
  parseNow,
  parseRegion,
  parseRoleArn,
  parseTopicArn,
} from '../../lambdas/cli/parse-options.js';

describe('parseNow', () => {
  it.each([
    ['2026-11-20T12:00:00Z', '2026-11-20T12:00:00.000Z'],
    ['2026-11-20T12:00Z', '2026-11-20T12:00:00.000Z'],
    ['2026-11-20T13:30:00+01:30', '2026-11-20T12:00:00.000Z'],
    ['2026-11-20T07:00:00-0500', '2026-11-20T12:00:00.000Z'],
    ['2026-11-20T12:00:00.123456Z', '2026-11-20T12:00:00.123Z'],
    ['2026-11-20 12:00:00z', '2026-11-20T12:00:00.000Z'],
    ['2026-11-20', '2026-11-20T00:00:00.000Z'],
    ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z'],
  ])('reads %s as %s', (text, iso) => {
    // Act / Assess
    expect(parseNow(text).toISOString()).toBe(iso);
  });

  it.each([
    ['yesterday', /ISO-8601/],
    ['2026-11-20T12:00:00', /time zone/],
    ['2025-02-29T00:00:00Z', /real date/],
    ['2026-11-20T24:00:00Z', /real date/],
    ['2026-11-20T12:60:00Z', /real date/],
    ['2026-11-20T12:00:00+15:00', /time zone offset/],
    ['1969-12-31', /real date/],
    ['', /ISO-8601/],
  ])('refuses %j', (text, message) => {
    // Act / Assess
    expect(() => parseNow(text)).toThrow(InvalidArgumentError);
    expect(() => parseNow(text)).toThrow(message);
  });
});

describe('parseLookback', () => {
  it('reads minutes, hours and days', () => {
    // Act / Assess
    expect([parseLookback('30m'), parseLookback('24h'), parseLookback('7d')]).toEqual([
      1_800_000, 86_400_000, 604_800_000,
    ]);
  });

  it.each(['0h', '24', '1w', '-1d', 'h'])('refuses %j', (text) => {
    // Act / Assess
    expect(() => parseLookback(text)).toThrow(InvalidArgumentError);
  });
});

describe('parseLogGroups', () => {
  it('splits on commas and trims', () => {
    // Act / Assess
    expect(parseLogGroups(' /aws/lambda/a, /ecs/b,,')).toEqual(['/aws/lambda/a', '/ecs/b']);
  });

  it.each([',', 'a b', 'a,b*'])('refuses %j', (text) => {
    // Act / Assess
    expect(() => parseLogGroups(text)).toThrow(InvalidArgumentError);
  });
});

describe('ARNs, Regions and function names', () => {
  it('accepts well-formed values', () => {
    // Act / Assess
    expect(parseRoleArn('arn:aws:iam::123456789012:role/path/credhealth-audit')).toContain(
      ':role/',
    );
    expect(parseRoleArn('arn:aws-us-gov:iam::123456789012:role/a')).toContain('aws-us-gov');
    expect(parseTopicArn('arn:aws:sns:eu-west-1:123456789012:credhealth.fifo')).toContain(':sns:');
    expect(parseRegion('us-gov-west-1')).toBe('us-gov-west-1');
    expect(parseFunctionName('credhealth-audit')).toBe('credhealth-audit');
    expect(
      parseFunctionName('arn:aws:lambda:eu-west-1:123456789012:function:audit:live'),
    ).toContain('function:audit');
  });

  it.each([
    [parseRoleArn, 'arn:aws:iam::123456789012:user/bob'],
    [parseRoleArn, 'arn:aws:iam::12345:role/a'],
    [parseTopicArn, 'arn:aws:sqs:eu-west-1:123456789012:q'],
    [parseRegion, 'Europe'],
    [parseFunctionName, 'has space'],
  ])('refuses a wrong value (%#)', (parse, text) => {
    // Act / Assess
    expect(() => parse(text)).toThrow(InvalidArgumentError);
  });
});
