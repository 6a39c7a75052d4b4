import { expect, it } from 'vitest';
import { synthStack } from './synth.js';

// Asset hashes change with every code change; the template's shape is what the snapshot guards.
expect.addSnapshotSerializer({
  test: (value) => typeof value === 'string' && /[A-Fa-f0-9]{64}/.test(value),
  print: (value) => `"${String(value).replace(/[A-Fa-f0-9]{64}/g, '[HASH REMOVED]')}"`,
});

it('matches the reviewed template (one snapshot; everything promised is asserted elsewhere)', () => {
  const { template } = synthStack({
    notifyEmails: ['sec@example.com'],
    slackWebhookSecretName: 'credhealth/slack',
  });
  expect(template.toJSON()).toMatchSnapshot();
});
