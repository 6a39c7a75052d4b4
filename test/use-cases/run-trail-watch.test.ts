import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../lambdas/core/config.js';
import { createExportDirSources } from '../../lambdas/sources/files/export-dir-sources.js';
import { runTrailWatch } from '../../lambdas/use-cases/run-trail-watch.js';
import { fixedClock, listMetrics, memoryLedger, recordingPublisher } from './fakes.js';

const RISKY = join(import.meta.dirname, '..', 'fixtures', 'export-dirs', 'risky');
const HOUR = 3_600_000;
// The fixture's events are from about 09:00; quiet for 6 hours means ended after 15:00.
const options = { config: DEFAULT_CONFIG, lookbackMs: 24 * HOUR, quietPeriodMs: 6 * HOUR };

function setup(now = '2026-11-20T12:00:00Z') {
  const ledger = memoryLedger();
  const publisher = recordingPublisher();
  const clock = fixedClock(now);
  const metrics = listMetrics();
  return {
    ledger,
    publisher,
    clock,
    metrics,
    deps: {
      sources: createExportDirSources(RISKY),
      ledger,
      publish: publisher.publish,
      clock,
      metrics,
    },
  };
}

const titles = (sent: { bodies: { lambda: string } }[][]): string[] =>
  sent
    .flat()
    .map((m) => (JSON.parse(m.bodies.lambda) as { incident: { title: string } }).incident.title);

describe('runTrailWatch', () => {
  it('announces each incident of the window once and records it', async () => {
    // Prepare
    const { deps, publisher, ledger } = setup();
    // Act
    const summary = await runTrailWatch(deps, options);
    // Assess
    expect(summary.incidents).toBeGreaterThan(0);
    expect(summary.announced).toBe(summary.incidents);
    expect(publisher.sent.flat().map((m) => m.attributes.kind)).toEqual(
      Array(summary.incidents).fill('incident'),
    );
    expect([...ledger.incidents.values()].every((r) => r.state === 'open')).toBe(true);
    expect([...ledger.incidents.values()].map((r) => r.pendingUntil)).toEqual(
      Array(summary.incidents).fill(undefined),
    );
  });

  it('announces nothing again when the next window overlaps the same events', async () => {
    const { deps, publisher, clock } = setup();
    await runTrailWatch(deps, options);
    clock.set('2026-11-20T12:15:00Z');
    const second = await runTrailWatch(deps, options);
    expect(second).toMatchObject({ announced: 0, escalated: 0, messagesPublished: 0 });
    expect(publisher.sent).toHaveLength(1);
  });

  it('summarises each incident once when it has been quiet for the quiet period', async () => {
    const { deps, publisher, clock, ledger } = setup();
    const first = await runTrailWatch(deps, options);
    clock.set('2026-11-21T12:00:00Z');
    const later = await runTrailWatch(deps, options);
    expect(later.ended).toBe(first.announced);
    expect(titles(publisher.sent.slice(1)).every((t) => t.startsWith('Ended: '))).toBe(true);
    expect([...ledger.incidents.values()].every((r) => r.state === 'ended')).toBe(true);
    clock.set('2026-11-21T12:15:00Z');
    expect(await runTrailWatch(deps, options)).toMatchObject({ ended: 0, announced: 0 });
  });

  it('undoes the ledger change of a message SNS refused, so the next run announces it', async () => {
    const { deps, publisher, clock } = setup();
    publisher.failNext('refuse-all');
    const first = await runTrailWatch(deps, options);
    expect(first.messagesPublished).toBe(0);
    clock.set('2026-11-20T12:15:00Z');
    const retry = await runTrailWatch(deps, options);
    expect(retry.announced).toBe(first.announced);
    expect(retry.messagesPublished).toBe(first.announced);
  });

  it('undoes every change when publishing throws', async () => {
    const { deps, publisher } = setup();
    publisher.failNext('throw');
    await expect(runTrailWatch(deps, options)).rejects.toThrow('SNS is unavailable');
    expect((await runTrailWatch(deps, options)).messagesPublished).toBeGreaterThan(0);
  });

  it('announces nothing a concurrent run already wrote', async () => {
    const { deps, publisher } = setup();
    const ledger = { ...deps.ledger, writeIncident: async () => false };
    const summary = await runTrailWatch({ ...deps, ledger }, options);
    expect(summary.lostRaces).toBe(summary.incidents);
    expect(publisher.sent).toEqual([]);
  });

  it('counts incidents by kind for the dashboard', async () => {
    const { deps, metrics } = setup();
    const summary = await runTrailWatch(deps, options);
    const counted = metrics.entries
      .filter((e) => e.name === 'Incidents')
      .reduce((sum, e) => sum + e.value, 0);
    expect(counted).toBe(summary.incidents);
  });
});
