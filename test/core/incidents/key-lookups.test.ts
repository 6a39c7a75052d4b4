import { describe, expect, it } from 'vitest';
import { keysOwnersNeed } from '../../../lambdas/core/incident-keys.js';
import type { PrincipalRecord } from '../../../lambdas/core/inventory.js';
import type { Incident } from '../../../lambdas/core/report.js';
import {
  ACCOUNT,
  inventoryOf,
  KEY_ACTIVE,
  KEY_INACTIVE,
  KEY_UNKNOWN,
  keyRecord,
  logLines,
  newCorrelator,
  trailRecord,
  userRecord,
} from './support.js';

/**
 * The correlator's hook for an audit that did not list every key: which keys `finish()` reads
 * (`keyLookups`), who the trail shows holding a key (`keyHolderHint`), and `finish(inventory)`
 * joining with the inventory those keys were looked up into.
 */

const INVALID = 'InvalidClientTokenId: The security token included in the request is invalid.';
/** The inventory an audit has before any lookup: the report's principals, no key ids. */
const NO_IDS = inventoryOf([
  userRecord('ci-bot', [keyRecord('ci-bot', null, 'Active', '2026-11-20T08:00:00Z')]),
  userRecord('old-bot', [keyRecord('old-bot', null, 'Inactive', '2026-11-10T08:00:00Z')]),
]);
const LOOKED_UP = inventoryOf([
  userRecord('ci-bot', [keyRecord('ci-bot', null, 'Active', '2026-11-20T08:00:00Z')]),
  userRecord('old-bot', [keyRecord('old-bot', KEY_INACTIVE, 'Inactive', '2026-11-10T08:00:00Z')]),
]);

describe('correlator keyLookups', () => {
  it('asks for a key failing in the logs, and finish(inventory) then sees it was inactive', () => {
    // Prepare
    const correlator = newCorrelator({ inventory: NO_IDS });
    for (const line of logLines(5, `${INVALID} key ${KEY_INACTIVE}`)) correlator.addLogEntry(line);
    // Act
    const lookups = correlator.keyLookups();
    const incidents = correlator.finish(LOOKED_UP);
    // Assess
    expect(lookups).toEqual({ accessKeyIds: [KEY_INACTIVE], userNames: [] });
    expect(incidents.map((i) => i.kind)).toEqual(['revoked-key-in-use']);
  });

  it('without the lookup the same failures stay invalid-credentials', () => {
    // Prepare
    const correlator = newCorrelator({ inventory: NO_IDS });
    for (const line of logLines(5, `${INVALID} key ${KEY_INACTIVE}`)) correlator.addLogEntry(line);
    // Act
    const incidents = correlator.finish();
    // Assess
    expect(incidents.map((i) => i.kind)).toEqual(['invalid-credentials']);
  });

  it('asks for a key deactivated in the window with its user as the hint, not for a deleted one', () => {
    // Prepare
    const correlator = newCorrelator({ inventory: NO_IDS });
    const lifecycle = (eventName: string, keyId: string, status?: string) =>
      trailRecord({
        eventTime: '2026-11-20T09:00:00Z',
        eventSource: 'iam.amazonaws.com',
        eventName,
        requestParameters: {
          userName: 'old-bot',
          accessKeyId: keyId,
          ...(status ? { status } : {}),
        },
      });
    correlator.addCloudTrailRecord(lifecycle('UpdateAccessKey', KEY_INACTIVE, 'Inactive'));
    correlator.addCloudTrailRecord(lifecycle('DeleteAccessKey', KEY_UNKNOWN));
    // Act
    const lookups = correlator.keyLookups();
    // Assess
    expect(lookups.accessKeyIds).toEqual([KEY_INACTIVE]);
    expect(correlator.keyHolderHint(KEY_INACTIVE)).toBe('old-bot');
    expect(correlator.keyHolderHint(KEY_ACTIVE)).toBe(`arn:aws:iam::${ACCOUNT}:user/ci-bot`);
  });

  it('asks for the keys of a quarantined user', () => {
    // Prepare
    const correlator = newCorrelator({ inventory: NO_IDS });
    correlator.addCloudTrailRecord(
      trailRecord({
        eventTime: '2026-11-20T09:00:00Z',
        userIdentity: { type: 'AWSService', invokedBy: 'iam.amazonaws.com' },
        eventSource: 'iam.amazonaws.com',
        eventName: 'AttachUserPolicy',
        requestParameters: {
          userName: 'ci-bot',
          policyArn: 'arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV3',
        },
      }),
    );
    // Act / Assess
    expect(correlator.keyLookups()).toEqual({ accessKeyIds: [], userNames: ['ci-bot'] });
  });

  it('asks for nothing when nothing failed, was revoked or quarantined', () => {
    // Prepare
    const correlator = newCorrelator({ inventory: NO_IDS });
    correlator.addCloudTrailRecord(trailRecord());
    // Act / Assess
    expect(correlator.keyLookups()).toEqual({ accessKeyIds: [], userNames: [] });
    expect(correlator.keyHolderHint(KEY_UNKNOWN)).toBeNull();
  });
});

describe('keysOwnersNeed', () => {
  const principals = NO_IDS.principals;
  const byName = (name: string): PrincipalRecord | undefined =>
    principals.find((p) => p.name === name);
  const incident = (accessKeyIds: string[], incidentPrincipals: string[]): Incident =>
    ({ accessKeyIds, principals: incidentPrincipals }) as unknown as Incident;
  const resolver = (holders: Record<string, string>, settled: readonly string[] = []) => ({
    settled: (id: string) => !id.startsWith('AKIA') || settled.includes(id),
    holder: (id: string) => {
      const name = holders[id];
      return name === undefined ? undefined : byName(name);
    },
  });
  const ciBotArn = `arn:aws:iam::${ACCOUNT}:user/ci-bot`;

  it("skips a key whose holder is the incident's only principal: the owner is the same", () => {
    // Act
    const needed = keysOwnersNeed(
      [incident([KEY_ACTIVE], [ciBotArn])],
      NO_IDS,
      resolver({ [KEY_ACTIVE]: 'ci-bot' }),
    );
    // Assess
    expect(needed).toEqual([]);
  });

  it('needs a key whose holder the trail does not show', () => {
    // Act
    const needed = keysOwnersNeed([incident([KEY_UNKNOWN], [])], NO_IDS, resolver({}));
    // Assess
    expect(needed).toEqual([KEY_UNKNOWN]);
  });

  it('needs the keys when the candidates are two principals, or none is known for sure', () => {
    // Act
    const twoUsers = keysOwnersNeed(
      [incident([KEY_ACTIVE], [`arn:aws:iam::${ACCOUNT}:user/old-bot`])],
      NO_IDS,
      resolver({ [KEY_ACTIVE]: 'ci-bot' }),
    );
    const onlyTheKey = keysOwnersNeed(
      [incident([KEY_ACTIVE], [])],
      NO_IDS,
      resolver({ [KEY_ACTIVE]: 'ci-bot' }),
    );
    // Assess
    expect(twoUsers).toEqual([KEY_ACTIVE]);
    expect(onlyTheKey).toEqual([KEY_ACTIVE]);
  });

  it('needs nothing for temporary keys or keys already settled', () => {
    // Act
    const needed = keysOwnersNeed(
      [incident(['ASIA2DEMO0000EXAMPLE', KEY_INACTIVE], [])],
      NO_IDS,
      resolver({}, [KEY_INACTIVE]),
    );
    // Assess
    expect(needed).toEqual([]);
  });
});
