// zod/mini: this module is in the Lambda bundles, where classic `zod` would add 445 KB.
import * as z from 'zod/mini';

/**
 * The AWS Chatbot (Amazon Q Developer in chat applications) custom notification: the only
 * shape Chatbot posts; anything else it drops without a word (aws-signals.md §5.1).
 */
export interface ChatbotNotification {
  readonly version: '1.0';
  readonly source: 'custom';
  readonly id?: string;
  readonly content: {
    readonly textType: 'client-markdown';
    readonly title: string;
    readonly description: string;
    readonly nextSteps?: readonly string[];
    readonly keywords?: readonly string[];
  };
  readonly metadata?: {
    /** Messages with the same thread id are threaded in the channel (an incident and its escalations). */
    readonly threadId?: string;
    readonly summary?: string;
    readonly eventType?: string;
    readonly relatedResources?: readonly string[];
    readonly additionalContext?: Readonly<Record<string, string>>;
  };
}

/**
 * Chat clients cut long posts, and Chatbot posts the description into one Slack section
 * (3,000 characters at most): these keep a notification readable on a phone.
 */
export const CHATBOT_LIMITS = {
  title: 250,
  description: 2_000,
  nextSteps: 5,
  nextStep: 600,
  keywords: 10,
  keyword: 80,
} as const;

/**
 * The custom-notification schema as AWS documents it (version and source fixed, a required
 * description, `client-markdown` the only text type), with our own length limits on top.
 * Strict: a field Chatbot does not know is an error here rather than a silently dropped post.
 */
export const CHATBOT_NOTIFICATION_SCHEMA = z.strictObject({
  version: z.literal('1.0'),
  source: z.literal('custom'),
  id: z.optional(z.string().check(z.minLength(1))),
  content: z.strictObject({
    textType: z.optional(z.literal('client-markdown')),
    title: z.optional(z.string().check(z.minLength(1), z.maxLength(CHATBOT_LIMITS.title))),
    description: z.string().check(z.minLength(1), z.maxLength(CHATBOT_LIMITS.description)),
    nextSteps: z.optional(
      z
        .array(z.string().check(z.minLength(1), z.maxLength(CHATBOT_LIMITS.nextStep)))
        .check(z.maxLength(CHATBOT_LIMITS.nextSteps)),
    ),
    keywords: z.optional(
      z
        .array(z.string().check(z.minLength(1), z.maxLength(CHATBOT_LIMITS.keyword)))
        .check(z.maxLength(CHATBOT_LIMITS.keywords)),
    ),
  }),
  metadata: z.optional(
    z.strictObject({
      threadId: z.optional(z.string().check(z.minLength(1))),
      summary: z.optional(z.string()),
      eventType: z.optional(z.string()),
      relatedResources: z.optional(z.array(z.string())),
      additionalContext: z.optional(z.record(z.string(), z.string())),
      enableCustomActions: z.optional(z.boolean()),
    }),
  ),
});

export interface ChatbotParts {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly nextSteps: readonly string[];
  readonly keywords: readonly string[];
  readonly threadId: string;
  readonly summary: string;
  readonly eventType: string;
  readonly relatedResources?: readonly string[];
  readonly additionalContext?: Readonly<Record<string, string>>;
}

/**
 * Builds a custom notification. A description longer than a chat post says how much was
 * left out and where the rest is, rather than being cut mid-line.
 */
export function chatbotNotification(parts: ChatbotParts): ChatbotNotification {
  const lines = parts.description.split('\n');
  const more = (n: number): string =>
    `_…and ${n} more ${n === 1 ? 'line' : 'lines'}: see the email or the JSON report._`;
  // Room is kept for the closing line that says how much was left out.
  const room = CHATBOT_LIMITS.description - 80;
  let description = '';
  for (let i = 0; i < lines.length; i += 1) {
    const line = clip(lines[i] ?? '', room);
    const next = description === '' ? line : `${description}\n${line}`;
    if (next.length > room) {
      description += `\n${more(lines.length - i)}`;
      break;
    }
    description = next;
  }
  return {
    version: '1.0',
    source: 'custom',
    id: parts.id,
    content: {
      textType: 'client-markdown',
      title: clip(parts.title, CHATBOT_LIMITS.title),
      description,
      nextSteps: parts.nextSteps
        .slice(0, CHATBOT_LIMITS.nextSteps)
        .map((step) => clip(step, CHATBOT_LIMITS.nextStep)),
      keywords: [...new Set(parts.keywords.map((k) => clip(k, CHATBOT_LIMITS.keyword)))]
        .filter((k) => k.length > 0)
        .slice(0, CHATBOT_LIMITS.keywords),
    },
    metadata: {
      threadId: parts.threadId,
      summary: parts.summary,
      eventType: parts.eventType,
      ...(parts.relatedResources?.length ? { relatedResources: parts.relatedResources } : {}),
      ...(parts.additionalContext ? { additionalContext: parts.additionalContext } : {}),
    },
  };
}

/** Text cut to `max` characters, ending in `…` when it was cut. */
function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
