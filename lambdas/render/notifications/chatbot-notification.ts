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

/** Chat clients cut long posts; these keep a notification readable. */
const MAX_DESCRIPTION = 3_500;
const MAX_NEXT_STEPS = 5;
const MAX_KEYWORDS = 10;

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
  let description = '';
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] ?? '';
    const next = description === '' ? line : `${description}\n${line}`;
    if (next.length > MAX_DESCRIPTION) {
      description += `\n_…and ${lines.length - i} more lines: see the email or the JSON report._`;
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
      title: parts.title,
      description,
      nextSteps: parts.nextSteps.slice(0, MAX_NEXT_STEPS),
      keywords: [...new Set(parts.keywords)].slice(0, MAX_KEYWORDS),
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
