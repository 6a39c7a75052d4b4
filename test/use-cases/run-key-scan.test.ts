import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, parseAuditConfig } from '../../lambdas/core/config.js';
import type { AuditSources } from '../../lambdas/core/sources.js';
import { createExportDirSources } from '../../lambdas/sources/files/export-dir-sources.js';
import { runKeyScan } from '../../lambdas/use-cases/run-key-scan.js';
import { fixedClock, listMetrics, memoryLedger, recordingPublisher } from './fakes.js';

const RISKY = join(import.meta.dirname, '..', 'fixtures', 'export-dirs', 'risky');
const NOW = '2026-11-20T12:00:00Z';

function setup(now = NOW) {
  const ledger = memoryLedger();
  const publisher = recordingPublisher();
  const clock = fixedClock(now);
  const metrics = listMetrics();
  const sources = createExportDirSources(RISKY);
  return {
    ledger,
    publisher,
    clock,
    metrics,
    deps: { sources, ledger, publish: publisher.publish, clock, metrics },
  };
}

const findingIds = (messages: { bodies: { lambda: string } }[]): string[] =>
  messages.flatMap(
    (m) =>
      (JSON.parse(m.bodies.lambda) as { findings?: { id: string }[] }).findings?.map((f) => f.id) ??
      [],
  );

describe('runKeyScan', () => {
  it('publishes the reminders owed, one digest per owner, and records them', async () => {
    // Prepare
    const { deps, publisher, ledger } = setup();
    // Act
    const summary = await runKeyScan(deps, DEFAULT_CONFIG);
    // Assess
    expect(summary.reminded).toBeGreaterThan(0);
    expect(publisher.sent).toHaveLength(1);
    const messages = publisher.sent[0] ?? [];
    expect(messages.every((m) => m.attributes.kind === 'reminder')).toBe(true);
    expect(new Set(messages.map((m) => m.attributes.owner)).size).toBe(messages.length);
    expect(findingIds(messages)).toHaveLength(summary.reminded);
    expect(ledger.reminders.size).toBe(summary.reminded);
    expect([...ledger.reminders.values()].some((r) => r.pendingUntil !== undefined)).toBe(false);
    expect(summary.messagesPublished).toBe(messages.length);
  });

  it('publishes nothing on a second scan the same day', async () => {
    const { deps, publisher, clock } = setup();
    await runKeyScan(deps, DEFAULT_CONFIG);
    clock.set('2026-11-20T18:00:00Z');
    const second = await runKeyScan(deps, DEFAULT_CONFIG);
    expect(second).toMatchObject({ reminded: 0, messagesPublished: 0 });
    expect(second.alreadySent).toBeGreaterThan(0);
    expect(publisher.sent).toHaveLength(1);
  });

  it('after a week, sends only what moved on: weekly repeats and keys that reached a new rung', async () => {
    const { deps, publisher, clock, ledger } = setup();
    const first = await runKeyScan(deps, DEFAULT_CONFIG);
    const before = new Map(ledger.reminders);
    clock.set('2026-11-27T12:00:00Z');
    const later = await runKeyScan(deps, DEFAULT_CONFIG);
    expect(later.reminded).toBeGreaterThan(0);
    expect(later.reminded).toBeLessThanOrEqual(first.reminded + 2);
    for (const [key, record] of ledger.reminders) {
      const previous = before.get(key);
      if (previous) expect(record.rung).toBeGreaterThanOrEqual(previous.rung);
    }
    expect(publisher.sent).toHaveLength(2);
  });

  it('gives every claim back when publishing fails, so the next run sends them', async () => {
    const { deps, publisher } = setup();
    publisher.failNext('throw');
    await expect(runKeyScan(deps, DEFAULT_CONFIG)).rejects.toThrow('SNS is unavailable');
    const retry = await runKeyScan(deps, DEFAULT_CONFIG);
    expect(retry.reminded).toBeGreaterThan(0);
    expect(publisher.sent).toHaveLength(1);
  });

  it('gives back the claims of the owners whose digest SNS refused', async () => {
    const { deps, publisher } = setup();
    publisher.failNext('refuse-all');
    const first = await runKeyScan(deps, DEFAULT_CONFIG);
    expect(first.messagesPublished).toBe(0);
    const retry = await runKeyScan(deps, DEFAULT_CONFIG);
    expect(retry.reminded).toBe(first.reminded);
  });

  it('sends nothing for a reminder another run claimed at the same moment', async () => {
    const { deps, publisher } = setup();
    const ledger = { ...deps.ledger, claimReminder: async () => false };
    const summary = await runKeyScan({ ...deps, ledger }, DEFAULT_CONFIG);
    expect(summary.reminded).toBe(0);
    expect(publisher.sent).toEqual([]);
  });

  it('does not read CloudTrail or workload logs', async () => {
    const { deps } = setup();
    const read: string[] = [];
    const sources: AuditSources = {
      ...deps.sources,
      cloudTrail: (window) => {
        read.push('cloudtrail');
        return deps.sources.cloudTrail(window);
      },
      workloadLogs: (window) => {
        read.push('logs');
        return deps.sources.workloadLogs(window);
      },
    };
    const summary = await runKeyScan({ ...deps, sources }, DEFAULT_CONFIG);
    expect(read).toEqual([]);
    expect(summary.degradedSources).not.toContain('cloudtrail');
  });

  it('uses the machine limit for users without a console password', async () => {
    const { deps, publisher } = setup();
    const config = parseAuditConfig({ thresholds: { machineMaxKeyAgeDays: 365 } });
    await runKeyScan(deps, config);
    const titles = (publisher.sent[0] ?? []).flatMap((m) =>
      (
        (
          JSON.parse(m.bodies.lambda) as {
            findings: { title: string; check: string; principal: { name: string } }[];
          }
        ).findings ?? []
      ).filter((f) => f.check.startsWith('key-rotation') && f.principal.name === 'ci-bot'),
    );
    expect(titles).toEqual([]);
  });

  it('counts keys by state for the dashboard', async () => {
    const { deps, metrics } = setup();
    await runKeyScan(deps, DEFAULT_CONFIG);
    const states = metrics.entries.filter((e) => e.name === 'Keys').map((e) => e.dimensions?.state);
    expect(states).toEqual(['ok', 'due', 'overdue', 'unused', 'inactive']);
    expect(metrics.entries.find((e) => e.name === 'MessagesPublished')?.value).toBeGreaterThan(0);
  });
});
