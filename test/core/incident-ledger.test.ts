import { describe, expect, it } from 'vitest';
import { decideIncidents, type IncidentRecord } from '../../lambdas/core/incident-ledger.js';
import type { Incident } from '../../lambdas/core/report.js';

const now = new Date('2026-11-20T12:00:00Z');
const policy = { quietPeriodMs: 60 * 60_000 };

const incident = (over: Partial<Incident> = {}): Incident => ({
  id: 'i-1',
  kind: 'invalid-credentials',
  severity: 'medium',
  title: 'Unknown key AKIA…MPLE rejected',
  firstSeen: '2026-11-20T11:00:00Z',
  lastSeen: '2026-11-20T11:50:00Z',
  count: 6,
  errorCodes: { InvalidClientTokenId: 6 },
  accessKeyIds: ['AKIAIOSFODNN7EXAMPLE'],
  principals: [],
  sourceIps: ['203.0.113.7'],
  userAgents: ['Boto3/1.34.0'],
  eventSources: [],
  logGroups: ['/aws/lambda/etl'],
  probableCauses: [],
  remediation: [],
  evidence: ['logs'],
  owner: null,
  ...over,
});

const record = (over: Partial<IncidentRecord> = {}): IncidentRecord => ({
  id: 'i-1',
  kind: 'invalid-credentials',
  title: 'Unknown key AKIA…MPLE rejected',
  state: 'open',
  announcedSeverity: 'medium',
  announcedCount: 6,
  peakCount: 6,
  firstSeen: '2026-11-20T11:00:00Z',
  lastSeen: '2026-11-20T11:50:00Z',
  announcedAt: '2026-11-20T11:52:00.000Z',
  endedAt: null,
  version: 1,
  ...over,
});

const ledger = (...records: IncidentRecord[]) => new Map(records.map((r) => [r.id, r]));

describe('decideIncidents', () => {
  it('announces a new incident once, with a first record', () => {
    const [decision, ...rest] = decideIncidents([incident()], ledger(), now, policy);
    expect(rest).toEqual([]);
    expect(decision).toMatchObject({
      action: 'announce',
      previous: undefined,
      record: {
        id: 'i-1',
        state: 'open',
        announcedSeverity: 'medium',
        announcedCount: 6,
        version: 1,
      },
    });
  });

  it('says nothing when an overlapping window shows the same incident again', () => {
    expect(decideIncidents([incident()], ledger(record()), now, policy)).toEqual([]);
  });

  it('records newer events quietly', () => {
    const decisions = decideIncidents(
      [incident({ lastSeen: '2026-11-20T11:58:00Z', count: 9 })],
      ledger(record()),
      now,
      policy,
    );
    expect(decisions).toEqual([
      {
        action: 'update',
        previous: record(),
        record: record({ lastSeen: '2026-11-20T11:58:00Z', peakCount: 9, version: 2 }),
      },
    ]);
  });

  it('escalates when the severity goes up', () => {
    const [decision] = decideIncidents(
      [incident({ severity: 'high' })],
      ledger(record()),
      now,
      policy,
    );
    expect(decision).toMatchObject({
      action: 'escalate',
      reason: 'severity',
      record: { announcedSeverity: 'high', version: 2 },
    });
  });

  it('escalates at ten times the announced count, not at nine', () => {
    expect(
      decideIncidents([incident({ count: 59 })], ledger(record()), now, policy)[0]?.action,
    ).toBe('update');
    const [decision] = decideIncidents([incident({ count: 60 })], ledger(record()), now, policy);
    expect(decision).toMatchObject({
      action: 'escalate',
      reason: 'count',
      record: { announcedCount: 60, announcedSeverity: 'medium' },
    });
  });

  it('does not escalate when the severity goes down', () => {
    expect(decideIncidents([incident({ severity: 'low' })], ledger(record()), now, policy)).toEqual(
      [],
    );
  });

  it('summarises an incident quiet for the whole quiet period, not before', () => {
    const quiet = record({ lastSeen: '2026-11-20T11:00:00Z' });
    const [decision] = decideIncidents([], ledger(quiet), now, policy);
    expect(decision).toEqual({
      action: 'end',
      previous: quiet,
      record: {
        ...quiet,
        state: 'ended',
        endedAt: '2026-11-20T12:00:00.000Z',
        version: 2,
        pendingUntil: '2026-11-20T12:20:00.000Z',
      },
    });
    const almost = record({ lastSeen: '2026-11-20T11:00:00.001Z' });
    expect(decideIncidents([], ledger(almost), now, policy)).toEqual([]);
  });

  it('ends an incident whose old events are still inside the window', () => {
    const old = incident({ lastSeen: '2026-11-20T10:30:00Z' });
    const [decision] = decideIncidents(
      [old],
      ledger(record({ lastSeen: '2026-11-20T10:30:00Z' })),
      now,
      policy,
    );
    expect(decision?.action).toBe('end');
  });

  it('does not announce an ended incident again for the events it was summarised with', () => {
    const ended = record({
      state: 'ended',
      lastSeen: '2026-11-20T10:30:00Z',
      endedAt: '2026-11-20T11:45:00.000Z',
      version: 2,
    });
    expect(
      decideIncidents([incident({ lastSeen: '2026-11-20T10:30:00Z' })], ledger(ended), now, policy),
    ).toEqual([]);
  });

  it('announces an ended incident again when new events arrive', () => {
    const ended = record({ state: 'ended', lastSeen: '2026-11-20T10:30:00Z', version: 2 });
    const [decision] = decideIncidents([incident()], ledger(ended), now, policy);
    expect(decision).toMatchObject({
      action: 'announce',
      previous: ended,
      record: { state: 'open', version: 3 },
    });
  });

  it('compares times as instants, not as text', () => {
    // '…00.500Z' sorts before '…00Z' as text but is later.
    const open = record({ lastSeen: '2026-11-20T11:50:00Z' });
    const [decision] = decideIncidents(
      [incident({ lastSeen: '2026-11-20T11:50:00.500Z' })],
      ledger(open),
      now,
      policy,
    );
    expect(decision).toMatchObject({
      action: 'update',
      record: { lastSeen: '2026-11-20T11:50:00.500Z' },
    });
  });

  it('decides for several incidents independently', () => {
    const decisions = decideIncidents(
      [incident({ id: 'i-new' }), incident()],
      ledger(record(), record({ id: 'i-old', lastSeen: '2026-11-20T09:00:00Z' })),
      now,
      policy,
    );
    expect(decisions.map((d) => [d.record.id, d.action])).toEqual([
      ['i-new', 'announce'],
      ['i-old', 'end'],
    ]);
  });

  describe('announcements pending until confirmed', () => {
    const lease = '2026-11-20T12:00:00.000Z';

    it('writes every announcement pending for the claim lease, and an update not', () => {
      const announced = decideIncidents([incident()], ledger(), now, policy);
      const updated = decideIncidents(
        [incident({ lastSeen: '2026-11-20T11:55:00Z' })],
        ledger(record()),
        now,
        policy,
      );
      expect(announced[0]?.record.pendingUntil).toBe('2026-11-20T12:20:00.000Z');
      expect(updated[0]?.action).toBe('update');
      expect(updated[0]?.record.pendingUntil).toBeUndefined();
    });

    it('leaves an incident alone while another run holds its lease', () => {
      const pending = record({
        pendingUntil: '2026-11-20T12:00:00.001Z',
        lastSeen: '2026-11-20T10:00:00Z',
      });
      const bigger = incident({ count: 600, severity: 'critical' });
      expect(decideIncidents([bigger], ledger(pending), now, policy)).toEqual([]);
      expect(decideIncidents([], ledger(pending), now, policy)).toEqual([]);
    });

    it('announces again an open incident whose lease ran out unconfirmed', () => {
      const expired = record({ pendingUntil: lease });
      const [decision, ...rest] = decideIncidents([incident()], ledger(expired), now, policy);
      expect(rest).toEqual([]);
      expect(decision).toMatchObject({
        action: 'announce',
        previous: expired,
        record: { state: 'open', version: 2, pendingUntil: '2026-11-20T12:20:00.000Z' },
      });
    });

    it('summarises again an ending whose lease ran out unconfirmed, and not a confirmed one', () => {
      const ended = record({ state: 'ended', endedAt: '2026-11-20T11:40:00.000Z' });
      const [decision] = decideIncidents(
        [],
        ledger({ ...ended, pendingUntil: lease }),
        now,
        policy,
      );
      expect(decision).toMatchObject({
        action: 'end',
        record: { state: 'ended', version: 2, pendingUntil: '2026-11-20T12:20:00.000Z' },
      });
      expect(decideIncidents([], ledger(ended), now, policy)).toEqual([]);
    });
  });
});
