import { describe, expect, it } from 'vitest';
import type { Incident, ReportAccessKey } from '../../lambdas/core/report.js';
import {
  describeCount,
  describeErrorCodes,
  describeKey,
  displayText,
  firstClause,
  formatDateTime,
  formatDay,
  formatDuration,
  groupBySeverity,
  incidentEvidence,
  keyLabel,
  maskKeyIds,
  plural,
  splitInlineCode,
  topPriorities,
  wrapText,
} from '../../lambdas/render/format.js';
import { emptyReport, sampleReport } from './sample-report.js';

const KEY: ReportAccessKey = {
  slot: 1,
  id: 'AKIAIOSFODNN7EXAMPLE',
  maskedId: 'AKIA…MPLE',
  status: 'Active',
  createdAt: '2026-01-02T08:00:00Z',
  lastUsedAt: '2026-11-19T10:00:00Z',
  lastUsedRegion: 'us-east-1',
  lastUsedService: 's3',
  ageDays: 322,
};

describe('format helpers', () => {
  it('pluralises counts', () => {
    expect(plural(1, 'key')).toBe('1 key');
    expect(plural(0, 'key')).toBe('0 keys');
    expect(plural(2, 'entry', 'entries')).toBe('2 entries');
  });

  it('prints instants in UTC and keeps a damaged value visible', () => {
    expect(formatDateTime('2026-11-20T12:00:00Z')).toBe('2026-11-20 12:00 UTC');
    expect(formatDateTime('2026-11-20T23:30:00+02:00')).toBe('2026-11-20 21:30 UTC');
    expect(formatDay('2026-11-20T23:59:59Z')).toBe('2026-11-20');
    expect(formatDateTime('not a date')).toBe('not a date');
  });

  it('prints durations in the unit that reads naturally', () => {
    expect(formatDuration(30 * 60_000)).toBe('30 minutes');
    expect(formatDuration(86_400_000)).toBe('24 hours');
    expect(formatDuration(7 * 86_400_000)).toBe('7 days');
  });

  it('masks every key id in free text', () => {
    // Act
    const masked = maskKeyIds('old AKIAIOSFODNN7EXAMPLE, session ASIA2DEMO0005EXAMPLE.');

    // Assess
    expect(masked).toBe('old AKIA…MPLE, session ASIA…MPLE.');
  });

  it('removes terminal control sequences and bidi overrides from data', () => {
    // Act
    const shown = displayText('ua\u001b[2J\u202Eevil\r\nnext\u0007');

    // Assess
    expect(shown).toBe('ua?[2J?evil next?');
  });

  it('labels a key by its masked id, or by its slot when the id is unknown', () => {
    expect(keyLabel(KEY)).toBe('AKIA…MPLE');
    expect(keyLabel({ ...KEY, id: null, maskedId: 'key 2', slot: 2 })).toBe('key 2');
    expect(describeKey(KEY)).toBe(
      'AKIA…MPLE (key 1, Active), created 2026-01-02, 322 days old; last used 2026-11-19 in us-east-1 (s3)',
    );
    expect(describeKey({ ...KEY, id: null, lastUsedAt: null })).toBe(
      'key 1 (id unknown, Active), created 2026-01-02, 322 days old; never used',
    );
  });

  it('wraps at spaces and keeps a long word whole', () => {
    expect(wrapText('aa bb cc', 5)).toEqual(['aa bb', 'cc']);
    expect(wrapText('arn:aws:iam::123456789012:user/x y', 10)).toEqual([
      'arn:aws:iam::123456789012:user/x',
      'y',
    ]);
    expect(wrapText('', 10)).toEqual(['']);
  });

  it('splits prose at backtick pairs and leaves a lone backtick alone', () => {
    expect(splitInlineCode('run `aws sso login` now')).toEqual([
      { code: false, text: 'run ' },
      { code: true, text: 'aws sso login' },
      { code: false, text: ' now' },
    ]);
    expect(splitInlineCode('`env`')).toEqual([{ code: true, text: 'env' }]);
    expect(splitInlineCode('a ` b')).toEqual([{ code: false, text: 'a ` b' }]);
    expect(splitInlineCode('')).toEqual([{ code: false, text: '' }]);
  });

  it('shortens a fix to its first clause when that says enough', () => {
    expect(firstClause('Create a new key for ci-bot; then delete the old one.')).toBe(
      'Create a new key for ci-bot',
    );
    expect(firstClause('Find what uses the root key first: it was used today.')).toBe(
      'Find what uses the root key first',
    );
    expect(firstClause('Rotate the key of ci-bot now.')).toBe('Rotate the key of ci-bot now');
    expect(firstClause('Note: short.')).toBe('Note: short.');
  });

  it('lists error codes largest first', () => {
    expect(describeErrorCodes({ RequestExpired: 3, ExpiredToken: 12 })).toBe(
      'ExpiredToken ×12, RequestExpired ×3',
    );
  });

  it('groups by severity, worst first, leaving empty severities out', () => {
    // Act
    const groups = groupBySeverity(sampleReport().findings);

    // Assess
    expect(groups.map((g) => g.severity)).toEqual(['critical', 'high', 'medium', 'low']);
    expect(groups.reduce((n, g) => n + g.items.length, 0)).toBe(12);
  });

  it('puts incidents before findings of the same severity and skips info', () => {
    // Prepare
    const report = sampleReport();
    const onlyInfo = {
      ...emptyReport(),
      findings: report.findings.slice(0, 1).map((f) => ({ ...f, severity: 'info' as const })),
    };

    // Act
    const first = topPriorities(report, 4);

    // Assess
    expect(first.map((p) => `${p.severity}/${p.type}`)).toEqual([
      'critical/incident',
      'critical/incident',
      'critical/finding',
      'critical/finding',
    ]);
    expect(first[1]?.title).not.toMatch(/AKIA[A-Z0-9]{16}/);
    expect(topPriorities(onlyInfo, 3)).toEqual([]);
  });

  it("lists an incident's evidence in one order, key ids masked, empty lists left out", () => {
    // Prepare
    const base = sampleReport().incidents[0];
    if (!base) throw new Error('the sample report has incidents');
    const incident: Incident = {
      ...base,
      accessKeyIds: ['AKIAIOSFODNN7EXAMPLE'],
      principals: ['ci-bot'],
      owner: null,
      sourceIps: [],
      userAgents: ['aws-cli/2.15.0'],
      eventSources: ['s3.amazonaws.com'],
      logGroups: [],
    };

    // Act
    const lists = incidentEvidence(incident);

    // Assess
    expect(lists).toEqual([
      { label: 'Keys', values: ['AKIA…MPLE'], literal: true },
      { label: 'Principals', values: ['ci-bot'], literal: true },
      { label: 'User agents', values: ['aws-cli/2.15.0'], literal: true },
      { label: 'Services', values: ['s3.amazonaws.com'], literal: false },
    ]);
    expect(incidentEvidence({ ...incident, owner: 'team@example.com' })[2]).toEqual({
      label: 'Owner',
      values: ['team@example.com'],
      literal: false,
    });
  });

  it('says how often an incident was seen', () => {
    expect([describeCount(1), describeCount(2)]).toEqual(['once', '2 times']);
  });
});
