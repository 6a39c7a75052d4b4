import { describe, expect, it } from 'vitest';
import { MAX_GROUPS_PER_QUERY } from '../../lambdas/adapters/logs-insights.js';
import { ENV } from '../../lambdas/config/env-names.js';
import { loadTrailWatchConfig } from '../../lambdas/config/function-config.js';
import { DEFAULT_CONFIG } from '../../lambdas/core/config.js';
import { buildNotifications } from '../../lambdas/render/notifications/build-notifications.js';
import { MESSAGE_ATTRIBUTE } from '../../lib/credential-health-check.js';
import { DEFAULTS, MAX_LOG_GROUPS } from '../../lib/defaults.js';
import { sampleReport } from '../render/sample-report.js';

// lib/ keeps its own copy of the defaults so the CDK app does not load the audit code; these
// tests keep the copies equal, so a deployed scan and a CLI run judge keys alike.
describe('DEFAULTS of the construct', () => {
  it('uses the audit config defaults for every threshold and tag key it sets', () => {
    // Prepare
    const { thresholds, exemptions, owners } = DEFAULT_CONFIG;
    // Act
    const construct = {
      maxKeyAgeDays: DEFAULTS.maxKeyAgeDays,
      reminderLeadDays: DEFAULTS.reminderLeadDays,
      keyUnusedDays: DEFAULTS.keyUnusedDays,
      inactiveKeyDays: DEFAULTS.inactiveKeyDays,
      ownerTagKeys: [...DEFAULTS.ownerTagKeys],
      exemptionTagKey: DEFAULTS.exemptionTagKey,
    };
    // Assess
    expect(construct).toEqual({
      maxKeyAgeDays: thresholds.maxKeyAgeDays,
      reminderLeadDays: thresholds.reminderLeadDays,
      keyUnusedDays: thresholds.keyUnusedDays,
      inactiveKeyDays: thresholds.inactiveKeyDays,
      ownerTagKeys: owners.tagKeys,
      exemptionTagKey: exemptions.tagKey,
    });
  });

  it('matches what trail-watch assumes when its schedule variables are not set', () => {
    // Prepare
    const env = {
      [ENV.TOPIC_ARN]: 'arn:aws:sns:eu-west-1:123456789012:credential-health',
      [ENV.LEDGER_TABLE_NAME]: 'credential-health-ledger',
    };
    // Act
    const config = loadTrailWatchConfig(env);
    // Assess
    expect({
      intervalMinutes: config.intervalMinutes,
      lookbackMinutes: config.lookbackMinutes,
      quietRuns: config.quietRuns,
    }).toEqual({
      intervalMinutes: DEFAULTS.trailWatchInterval.toMinutes(),
      lookbackMinutes: DEFAULTS.trailWatchLookback.toMinutes(),
      quietRuns: DEFAULTS.incidentQuietRuns,
    });
  });

  it('accepts as many log groups as one Logs Insights query takes', () => {
    expect(MAX_LOG_GROUPS).toBe(MAX_GROUPS_PER_QUERY);
  });
});

describe('MESSAGE_ATTRIBUTE', () => {
  it('names the attributes every published message carries, so filter policies match', () => {
    // Prepare
    const messages = buildNotifications(sampleReport());
    // Act
    const names = new Set(messages.flatMap((message) => Object.keys(message.attributes)));
    // Assess
    expect(messages.length).toBeGreaterThan(0);
    for (const name of Object.values(MESSAGE_ATTRIBUTE)) expect(names).toContain(name);
  });
});
