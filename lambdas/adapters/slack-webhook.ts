import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ConfigError, CredentialHealthError } from '../core/errors.js';

/**
 * The webhook URL stored in a secret: the secret string itself, or a JSON object with a `url`
 * (or `webhookUrl`) field.
 *
 * @throws ConfigError when the secret holds no https URL (the URL itself is never in the message).
 */
export async function readWebhookUrl(
  client: SecretsManagerClient,
  secretId: string,
): Promise<string> {
  const result = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
  const raw = result.SecretString?.trim() ?? '';
  let url = raw;
  if (raw.startsWith('{')) {
    try {
      const parsed = JSON.parse(raw) as Record<string, unknown>;
      const field = parsed.url ?? parsed.webhookUrl;
      url = typeof field === 'string' ? field.trim() : '';
    } catch {
      url = '';
    }
  }
  if (!/^https:\/\/\S+$/.test(url)) {
    throw new ConfigError(
      `secret ${secretId} must hold a Slack incoming-webhook https URL (or {"url": "https://…"})`,
    );
  }
  return url;
}

/** Minimal fetch, so tests can pass a fake. */
export type Fetch = (
  url: string,
  init: { method: string; headers: Record<string, string>; body: string },
) => Promise<{
  ok: boolean;
  status: number;
  text(): Promise<string>;
}>;

/**
 * Posts a message to a Slack incoming webhook.
 *
 * @throws CredentialHealthError with Slack's status and answer (never the URL, which is a secret).
 */
export async function postToSlack(fetchFn: Fetch, url: string, body: unknown): Promise<void> {
  const response = await fetchFn(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) {
    const answer = (await response.text()).slice(0, 200);
    throw new CredentialHealthError(`Slack webhook answered ${response.status}: ${answer}`);
  }
}
