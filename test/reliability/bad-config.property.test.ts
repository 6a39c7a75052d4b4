import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../lambdas/cli/config-file.js';
import { runAudit } from '../../lambdas/core/audit.js';
import { type AuditConfig, MAX_DAYS, parseAuditConfig } from '../../lambdas/core/config.js';
import { ConfigError } from '../../lambdas/core/errors.js';
import { CHECK_IDS, INCIDENT_KINDS, SEVERITIES } from '../../lambdas/core/report.js';
import { REPORT_FORMATS, renderReport } from '../../lambdas/render/index.js';
import { buildNotifications } from '../../lambdas/render/notifications/build-notifications.js';
import { createExportDirSources } from '../../lambdas/sources/files/export-dir-sources.js';
import { ROOT } from '../cli/spawn-cli.js';

/**
 * Config files, fuzzed: whatever a file holds, loading it gives a valid config or one
 * ConfigError naming the file, never a crash; and a config that is accepted runs a whole audit
 * and renders every format without a crash (a config that validates but breaks the audit is
 * the worst kind: it fails at 3 a.m. in the scheduled function).
 */

const DEMO = join(ROOT, 'examples', 'demo-account');
const NOW = new Date('2026-11-20T12:00:00Z');
const dir = mkdtempSync(join(tmpdir(), 'credhealth-config-fuzz-'));

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Accepts a valid config; a ConfigError must name the origin and say what is wrong. */
function expectConfigOrRefusal(attempt: () => AuditConfig, origin: string): AuditConfig | null {
  try {
    return attempt();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message.startsWith(`${origin}`)).toBe(true);
    expect((error as Error).message.length).toBeGreaterThan(origin.length + 2);
    return null;
  }
}

const number = fc.oneof(
  fc.integer({ min: -5, max: 400 }),
  fc.constantFrom(0, 1, 90, 1e6, 2 ** 31, Number.MAX_SAFE_INTEGER, 1e300, 0.5, -0),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);
const duration = fc.oneof(
  fc.constantFrom('24h', '0m', '7d', '3650d', '3651d', '999999999d', '1e3d', '24 h', '', '-1d'),
  fc.tuple(fc.nat({ max: 10_000_000 }), fc.constantFrom('m', 'h', 'd')).map(([n, u]) => `${n}${u}`),
);
const date = fc.oneof(
  fc.constantFrom('2026-12-31', '2026-02-30', '0000-01-01', '9999-12-31', 'tomorrow'),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
);
const text = fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('', ' ', 'team@example.com'));
const anyJson = fc.jsonValue({ maxDepth: 2 });
/** Mostly absent, so that some generated files are valid and reach the audit; rarely junk. */
const maybe = <T>(arb: fc.Arbitrary<T>) =>
  fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 6 },
    { arbitrary: arb, weight: 3 },
    { arbitrary: anyJson, weight: 1 },
  );

/** Objects shaped like a config file, with plausible and implausible values in every field. */
const configShaped = fc.record(
  {
    thresholds: maybe(
      fc.record(
        {
          maxKeyAgeDays: maybe(number),
          machineMaxKeyAgeDays: maybe(number),
          reminderLeadDays: maybe(number),
          keyUnusedDays: maybe(number),
          newKeyGraceDays: maybe(number),
          inactiveKeyDays: maybe(number),
          passwordUnusedDays: maybe(number),
          rootRecentUseDays: maybe(number),
          signingCertMaxAgeDays: maybe(number),
        },
        { requiredKeys: [] },
      ),
    ),
    checks: maybe(
      fc.record(
        {
          disabled: maybe(fc.array(fc.oneof(fc.constantFrom(...CHECK_IDS), text))),
          severity: maybe(
            fc.dictionary(fc.constantFrom(...CHECK_IDS), fc.constantFrom(...SEVERITIES, 'urgent')),
          ),
        },
        { requiredKeys: [] },
      ),
    ),
    incidents: maybe(
      fc.record(
        {
          lookback: maybe(duration),
          revokedAfterUseWindow: maybe(duration),
          minEvents: maybe(fc.dictionary(fc.constantFrom(...INCIDENT_KINDS), number)),
          disabled: maybe(fc.array(fc.constantFrom(...INCIDENT_KINDS))),
        },
        { requiredKeys: [] },
      ),
    ),
    exemptions: maybe(
      fc.record(
        {
          users: maybe(
            fc.array(
              fc.record(
                {
                  user: text,
                  checks: maybe(fc.array(fc.constantFrom(...CHECK_IDS))),
                  until: maybe(date),
                  reason: maybe(text),
                },
                { requiredKeys: ['user'] },
              ),
              { maxLength: 3 },
            ),
          ),
          tagKey: maybe(text),
        },
        { requiredKeys: [] },
      ),
    ),
    owners: maybe(
      fc.record(
        {
          tagKeys: maybe(fc.array(text, { maxLength: 3 })),
          teamTagKey: maybe(text),
          teams: maybe(fc.dictionary(text, text)),
          accountDefault: maybe(fc.oneof(text, fc.constant(null))),
        },
        { requiredKeys: [] },
      ),
    ),
    unexpected: maybe(anyJson),
  },
  { requiredKeys: [] },
);

const positive = fc.oneof(
  fc.integer({ min: 1, max: 400 }),
  fc.constantFrom(1, 3650, MAX_DAYS),
  fc.integer({ min: 1, max: MAX_DAYS }),
);
const validDuration = fc
  .tuple(fc.integer({ min: 1, max: 3650 }), fc.constantFrom('d', 'h', 'm'))
  .map(([n, unit]) => `${n}${unit}`);
const validDate = fc
  .date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z') })
  .filter((d) => !Number.isNaN(d.getTime()))
  .map((d) => d.toISOString().slice(0, 10));
const name = fc.string({ minLength: 1, maxLength: 12 });
const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

/** Configs the schema accepts, with values at its edges. */
const validExtremes = fc.record({
  thresholds: fc.record(
    {
      maxKeyAgeDays: positive,
      machineMaxKeyAgeDays: positive,
      reminderLeadDays: fc.oneof(fc.nat({ max: 400 }), fc.constant(MAX_DAYS)),
      keyUnusedDays: positive,
      newKeyGraceDays: positive,
      inactiveKeyDays: positive,
      passwordUnusedDays: positive,
      rootRecentUseDays: positive,
      signingCertMaxAgeDays: positive,
    },
    { requiredKeys: [] },
  ),
  checks: fc.record({
    disabled: fc.subarray([...CHECK_IDS]),
    severity: fc.dictionary(fc.constantFrom(...CHECK_IDS), fc.constantFrom(...SEVERITIES)),
  }),
  incidents: fc.record(
    {
      lookback: validDuration,
      revokedAfterUseWindow: validDuration,
      minEvents: fc.dictionary(fc.constantFrom(...INCIDENT_KINDS), positive),
      disabled: fc.subarray([...INCIDENT_KINDS]),
    },
    { requiredKeys: [] },
  ),
  exemptions: fc.record({
    users: fc.array(
      fc.record({
        user: fc.constantFrom('alice', 'ci-deploy', 'root', 'nobody'),
        checks: opt(fc.subarray([...CHECK_IDS], { minLength: 1 })),
        until: opt(validDate),
      }),
      { maxLength: 3 },
    ),
    tagKey: name,
  }),
  owners: fc.record({
    tagKeys: fc.array(name, { minLength: 1, maxLength: 3 }),
    teamTagKey: name,
    teams: fc.dictionary(name, name),
    accountDefault: fc.option(name, { nil: null }),
  }),
});

describe('config files, fuzzed', () => {
  it('any JSON value: a valid config or one ConfigError, never a crash', () => {
    fc.assert(
      fc.property(anyJson, (value) => {
        expectConfigOrRefusal(() => parseAuditConfig(value, 'fuzz.json'), 'fuzz.json');
      }),
      { numRuns: 500 },
    );
  });

  it('any bytes in the file: a valid config or one ConfigError naming the file', async () => {
    const file = join(dir, 'bytes.json');
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
          fc.string({ maxLength: 200 }).map((s) => Buffer.from(s)),
          anyJson.map((v) => Buffer.from(`\uFEFF${JSON.stringify(v)}`)),
        ),
        async (bytes) => {
          writeFileSync(file, bytes);
          let result: unknown;
          try {
            result = await loadConfigFile(file);
          } catch (error) {
            result = error;
          }
          if (result instanceof Error) {
            expect(result).toBeInstanceOf(ConfigError);
            expect(result.message).toContain(file);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a config-shaped file with junk in any field: a valid config or one ConfigError', () => {
    fc.assert(
      fc.property(configShaped, (value) => {
        expectConfigOrRefusal(() => parseAuditConfig(value, 'shaped.json'), 'shaped.json');
      }),
      { numRuns: 500 },
    );
  });

  it('every valid config, extremes included, runs the whole demo audit and renders every format', async () => {
    await fc.assert(
      fc.asyncProperty(validExtremes, async (value) => {
        // Prepare: values of the right type at the edges of what the schema allows.
        const config = parseAuditConfig(value, 'extreme.json');

        // Act
        const report = await runAudit(createExportDirSources(DEMO, { workers: 0 }), {
          config,
          now: NOW,
          generatedAt: NOW,
        });

        // Assess
        for (const format of REPORT_FORMATS)
          expect(renderReport(report, format).length).toBeGreaterThan(0);
        expect(Array.isArray(buildNotifications(report))).toBe(true);
        expect(report.window?.start).toMatch(/^\d{4}-/);
      }),
      { numRuns: 40 },
    );
  });

  it('the lookback that used to crash the audit (RangeError) is now refused in one line', () => {
    // Act
    const attempt = () =>
      parseAuditConfig({ incidents: { lookback: '999999999d' } }, 'credhealth.json');

    // Assess
    expect(attempt).toThrow(
      'credhealth.json: incidents.lookback: must be at most 3650d, got "999999999d"',
    );
    expect(parseAuditConfig({ incidents: { lookback: '3650d' } }).incidents.lookback).toBe('3650d');
  });

  it('the day counts that used to crash the audit (RangeError) are refused in one line', () => {
    // Act
    const attempt = () =>
      parseAuditConfig({ thresholds: { maxKeyAgeDays: 1e15 } }, 'credhealth.json');

    // Assess
    expect(attempt).toThrow(
      /^credhealth\.json: thresholds\.maxKeyAgeDays: .*36500.*, got 1000000000000000$/,
    );
    expect(
      parseAuditConfig({ thresholds: { maxKeyAgeDays: MAX_DAYS } }).thresholds.maxKeyAgeDays,
    ).toBe(MAX_DAYS);
  });
});
