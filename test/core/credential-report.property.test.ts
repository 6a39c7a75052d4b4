import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runChecks } from '../../lambdas/core/checks/index.js';
import { parseAuditConfig } from '../../lambdas/core/config.js';
import {
  CREDENTIAL_REPORT_COLUMNS,
  parseCredentialReport,
} from '../../lambdas/core/credential-report.js';
import { InputFormatError } from '../../lambdas/core/errors.js';
import type { AccessKeyMetadata } from '../../lambdas/core/inventory.js';
import { buildInventory } from '../../lambdas/core/inventory-builder.js';

const NOW = new Date('2026-11-20T12:00:00Z');
const HEADER = CREDENTIAL_REPORT_COLUMNS.join(',');

/** Parses and returns the error, if any, so the property can say what kind it was. */
function failureOf(csv: string): unknown {
  try {
    parseCredentialReport(csv);
    return null;
  } catch (error) {
    return error;
  }
}

const isoDate = fc
  .date({
    min: new Date('2010-01-01T00:00:00Z'),
    max: new Date('2027-12-31T00:00:00Z'),
    noInvalidDate: true,
  })
  .map((d) => d.toISOString().replace(/\.\d{3}Z$/, '+00:00'));
const dateValue = fc.oneof(
  isoDate,
  fc.constantFrom('N/A', 'no_information', 'not_supported', 'ERROR'),
);
const oddText = fc.string({ maxLength: 12, unit: 'binary' });
const flag = fc.constantFrom('true', 'false');

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** A row of plausible values: any mix of dates, special values and flags. */
const validRow = (index: number) =>
  fc
    .record({
      root: fc.boolean(),
      dates: fc.array(dateValue, { minLength: 14, maxLength: 14 }),
      flags: fc.array(flag, { minLength: 7, maxLength: 7 }),
      region: fc.constantFrom('N/A', 'us-east-1', 'eu-west-1'),
      service: fc.constantFrom('N/A', 's3', 'sts', 'iam'),
    })
    .map(({ root, dates, flags, region, service }) => {
      const name = root && index === 0 ? '<root_account>' : `user-${index}`;
      const [d0, d1, d2, d3, d4, d5, d6, d7, d8, d9, d10, d11] = dates;
      const [pw, mfa, k1, k2, c1, c2] = flags;
      const values: Record<string, string> = {
        user: name,
        arn:
          root && index === 0
            ? 'arn:aws:iam::123456789012:root'
            : `arn:aws:iam::123456789012:user/${name}`,
        user_creation_time: d0 ?? 'N/A',
        password_enabled: root && index === 0 ? 'not_supported' : (pw ?? 'false'),
        password_last_used: d1 ?? 'N/A',
        password_last_changed: d2 ?? 'N/A',
        password_next_rotation: d3 ?? 'N/A',
        mfa_active: mfa ?? 'false',
        access_key_1_active: k1 ?? 'false',
        access_key_1_last_rotated: d4 ?? 'N/A',
        access_key_1_last_used_date: d5 ?? 'N/A',
        access_key_1_last_used_region: region,
        access_key_1_last_used_service: service,
        access_key_2_active: k2 ?? 'false',
        access_key_2_last_rotated: d6 ?? 'N/A',
        access_key_2_last_used_date: d7 ?? 'N/A',
        access_key_2_last_used_region: region,
        access_key_2_last_used_service: service,
        cert_1_active: c1 ?? 'false',
        cert_1_last_rotated: d8 ?? d9 ?? 'N/A',
        cert_2_active: c2 ?? 'false',
        cert_2_last_rotated: d10 ?? d11 ?? 'N/A',
      };
      return CREDENTIAL_REPORT_COLUMNS.map((column) => values[column] ?? '').join(',');
    });

const validReport = fc
  .integer({ min: 0, max: 8 })
  .chain((count) => fc.tuple(...Array.from({ length: count }, (_, i) => validRow(i))))
  .map((rows) => `${HEADER}\n${rows.join('\n')}\n`);

describe('parseCredentialReport (properties)', () => {
  it('fails on random text with nothing but InputFormatError', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400, unit: 'binary' }), (text) => {
        const error = failureOf(text);
        expect(error === null || error instanceof InputFormatError).toBe(true);
      }),
    );
  });

  it('fails on random bytes with nothing but InputFormatError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        const error = failureOf(new TextDecoder().decode(bytes));
        expect(error === null || error instanceof InputFormatError).toBe(true);
      }),
    );
  });

  it('fails on a real header with random rows with nothing but InputFormatError', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(oddText, { minLength: 0, maxLength: 24 }), { maxLength: 5 }),
        fc.boolean(),
        (rows, crlf) => {
          const body = rows
            .map((fields) => fields.map(csvField).join(','))
            .join(crlf ? '\r\n' : '\n');
          const error = failureOf(`${HEADER}\n${body}`);
          expect(error === null || error instanceof InputFormatError).toBe(true);
        },
      ),
    );
  });

  it('reads any report of plausible values, one row per line', () => {
    fc.assert(
      fc.property(validReport, (csv) => {
        const rows = parseCredentialReport(csv);
        expect(rows).toHaveLength(csv.trim().split('\n').length - 1);
      }),
    );
  });
});

describe('buildInventory and runChecks (properties)', () => {
  const thresholds = fc.record({
    maxKeyAgeDays: fc.integer({ min: 1, max: 400 }),
    reminderLeadDays: fc.integer({ min: 0, max: 400 }),
    keyUnusedDays: fc.integer({ min: 1, max: 400 }),
    inactiveKeyDays: fc.integer({ min: 1, max: 400 }),
  });

  it('never throw on plausible reports and give the same ids on every run', () => {
    fc.assert(
      fc.property(validReport, thresholds, fc.boolean(), (csv, limits, withKeys) => {
        // Prepare
        const rows = parseCredentialReport(csv);
        const accessKeys: AccessKeyMetadata[] | null = withKeys
          ? rows.flatMap((row, r) =>
              row.accessKeys.flatMap((slot) =>
                slot.lastRotated.value
                  ? [
                      {
                        UserName: row.user,
                        AccessKeyId: `AKIA2PRP${String(r).padStart(4, '0')}${slot.slot}EXAMPLE`,
                        Status: slot.active ? 'Active' : 'Inactive',
                        CreateDate: slot.lastRotated.value.toISOString(),
                      },
                    ]
                  : [],
              ),
            )
          : null;
        const config = parseAuditConfig({ thresholds: limits });
        const build = () =>
          buildInventory({
            rows,
            accessKeys,
            users: null,
            accountSummary: null,
            reportGeneratedAt: null,
            accountId: null,
          });
        // Act
        const first = runChecks(build().inventory, config, NOW);
        const second = runChecks(build().inventory, config, NOW);
        // Assess
        const ids = first.findings.map((f) => f.id);
        expect(second.findings.map((f) => f.id)).toEqual(ids);
        expect(new Set(ids).size).toBe(ids.length);
        for (const finding of first.findings) {
          expect(finding.title.length).toBeGreaterThan(0);
          expect(finding.accessKey?.ageDays ?? 0).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: 150 },
    );
  });
});
