import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ConfigError, CredentialHealthError } from '../core/errors.js';

/**
 * The webhook URL stored in a secret: the secret string itself, or a JSON object with a `url`
 * (or `webhookUrl`) field. It must be https; plain http is accepted only for 127.0.0.1 and
 * localhost, where a test or a local relay plays Slack.
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
  // Plain http only to this machine (a local stand-in for Slack); anything else must be https.
  if (
    !/^https:\/\/\S+$/.test(url) &&
    !/^http:\/\/(?:127\.0\.0\.1|localhost)(?::\d+)?\/\S*$/.test(url)
  ) {
    throw new ConfigError(
      `secret ${secretId} must hold a Slack incoming-webhook https URL (or {"url": "https://…"})`,
    );
  }
  return url;
}

/** Minimal fetch, so tests can pass a fake; the global `fetch` fits it. */
export type Fetch = (
  url: string,
  init: { method: string; headers: Record<string, string>; body: string; signal?: AbortSignal },
) => Promise<{
  ok: boolean;
  status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}>;

/**
 * Slack refused the message for good (a 4xx other than 429: `invalid_payload`, `no_text`,
 * `channel_not_found`, a revoked webhook). Posting it again cannot help; the caller keeps the
 * message (the Lambda's failure destination, the CLI's exit code) for a person to look at.
 */
export class SlackPermanentError extends CredentialHealthError {
  public readonly status: number;
  public readonly permanent = true;
  public constructor(status: number, message: string) {
    super(message);
    this.name = 'SlackPermanentError';
    this.status = status;
  }
}

/**
 * Slack could not take the message now (429 beyond our wait budget, 5xx, network) even after
 * retrying: a later attempt may work.
 */
export class SlackTransientError extends CredentialHealthError {
  /** The last HTTP status, or null when no answer came. */
  public readonly status: number | null;
  public readonly permanent = false;
  public constructor(status: number | null, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SlackTransientError';
    this.status = status;
  }
}

/** How hard `postToSlack` tries. */
export interface SlackRetryOptions {
  /** Posts in all, the first included. @default 5 */
  readonly maxAttempts?: number;
  /** First backoff after a 5xx or a network error; doubles each time, with jitter. @default 500 */
  readonly baseDelayMs?: number;
  /** Longest single wait, for backoff and for `Retry-After`. @default 30_000 */
  readonly maxDelayMs?: number;
  /**
   * Total time the waits may take. A `Retry-After` that would pass it ends the attempt with
   * SlackTransientError instead, so a Lambda fails (and is retried later by its async
   * invocation) rather than timing out mid-wait. @default 60_000
   */
  readonly budgetMs?: number;
  /** Each post's own time limit. @default 10_000 */
  readonly requestTimeoutMs?: number;
  /** Waits; tests pass a fake that records the delays. @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** [0, 1) for the jitter. @default Math.random */
  readonly random?: () => number;
}

/** What a successful post took. */
export interface SlackDelivery {
  readonly attempts: number;
  /** Every wait before a retry, in milliseconds, in order. */
  readonly waits: readonly number[];
}

const DEFAULTS = {
  maxAttempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  budgetMs: 60_000,
  requestTimeoutMs: 10_000,
};

/**
 * Posts a message to a Slack incoming webhook. Honours 429 `Retry-After` (seconds), retries
 * 5xx answers and network errors with exponential backoff and jitter, and gives up at once on
 * any other 4xx. Errors carry Slack's status and answer, never the URL (a secret).
 *
 * @throws SlackPermanentError on a 4xx other than 429.
 * @throws SlackTransientError when every attempt failed with 429, 5xx or a network error.
 */
export async function postToSlack(
  fetchFn: Fetch,
  url: string,
  body: unknown,
  options: SlackRetryOptions = {},
): Promise<SlackDelivery> {
  const settings = { ...DEFAULTS, ...options };
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const random = options.random ?? Math.random;
  const payload = JSON.stringify(body);
  const waits: number[] = [];
  let waited = 0;
  let last: { status: number | null; detail: string; cause?: unknown } = {
    status: null,
    detail: 'not attempted',
  };

  for (let attempt = 1; attempt <= settings.maxAttempts; attempt += 1) {
    let wait: number;
    try {
      const response = await fetchFn(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: payload,
        signal: AbortSignal.timeout(settings.requestTimeoutMs),
      });
      if (response.ok) return { attempts: attempt, waits };
      const answer = redact(await safeText(response), url);
      if (response.status === 429) {
        const retryAfter = retryAfterMs(response.headers.get('retry-after'));
        wait = retryAfter ?? backoff(attempt, settings, random);
        last = {
          status: 429,
          detail: `rate limited${retryAfter === null ? '' : ` (Retry-After ${retryAfter / 1000} s)`}: ${answer}`,
        };
        if (
          retryAfter !== null &&
          (retryAfter > settings.maxDelayMs || waited + retryAfter > settings.budgetMs)
        ) {
          throw new SlackTransientError(
            429,
            `Slack webhook answered 429 and asked to wait ${retryAfter / 1000} s, longer than this run can; try again later: ${answer}`,
          );
        }
      } else if (response.status >= 500) {
        wait = backoff(attempt, settings, random);
        last = { status: response.status, detail: answer };
      } else {
        throw new SlackPermanentError(
          response.status,
          `Slack webhook refused the message with ${response.status}: ${answer || 'no answer'}`,
        );
      }
    } catch (error) {
      if (error instanceof SlackPermanentError || error instanceof SlackTransientError) throw error;
      wait = backoff(attempt, settings, random);
      last = { status: null, detail: redact(describe(error), url), cause: error };
    }
    if (attempt === settings.maxAttempts || waited + wait > settings.budgetMs) break;
    waits.push(wait);
    waited += wait;
    await sleep(wait);
  }
  throw new SlackTransientError(
    last.status,
    `Slack webhook failed after ${waits.length + 1} ${waits.length === 0 ? 'attempt' : 'attempts'}: ${last.status === null ? '' : `${last.status} `}${last.detail}`,
    last.cause === undefined ? undefined : { cause: last.cause },
  );
}

/** `Retry-After` in seconds (Slack sends seconds), as milliseconds; null when absent or unreadable. */
export function retryAfterMs(header: string | null): number | null {
  if (header === null || !/^\s*\d+(?:\.\d+)?\s*$/.test(header)) return null;
  return Math.round(Number(header) * 1000);
}

function backoff(
  attempt: number,
  settings: { baseDelayMs: number; maxDelayMs: number },
  random: () => number,
): number {
  const ceiling = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** (attempt - 1));
  // Half fixed, half random ("equal jitter"): never zero, and retries of many senders spread out.
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

async function safeText(response: { text(): Promise<string> }): Promise<string> {
  try {
    return (await response.text()).slice(0, 200).trim();
  } catch {
    return '';
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.name === 'TimeoutError' ? 'timed out' : error.message}${cause}`;
}

/** The webhook URL is a secret: whatever echoes it (an error, an answer) loses it. */
function redact(text: string, url: string): string {
  return url === '' ? text : text.split(url).join('<webhook URL>');
}
