/**
 * Counts the AWS API calls each client makes, so every source can say in the report how many
 * calls it cost (`apiCalls`). An SDK middleware rather than a wrapper around `send`, so calls
 * made by paginators and waiters are counted too.
 */

/** The part of a client's middleware stack the counter uses. */
interface CountableStack {
  add(
    middleware: (
      next: (args: unknown) => Promise<unknown>,
      context: { readonly clientName?: string; readonly commandName?: string },
    ) => (args: unknown) => Promise<unknown>,
    options: {
      readonly step: 'initialize' | 'finalizeRequest';
      readonly name: string;
      readonly override?: boolean;
    },
  ): void;
}

/** A running tally of API calls, by `Client.Command`. */
export interface CallCounter {
  /** Calls made so far, all clients together. */
  total(): number;
  /** Calls made so far, by `IAMClient.GenerateCredentialReportCommand`-style labels. */
  byOperation(): Readonly<Record<string, number>>;
  /** Records one call; the middleware calls it, tests may too. */
  record(label: string): void;
}

/**
 * A new, empty counter.
 *
 * @example
 * const counter = createCallCounter();
 * countCalls(iam, counter);
 * await iam.send(new GetAccountSummaryCommand({}));
 * counter.total(); // 1
 */
export function createCallCounter(): CallCounter {
  const counts = new Map<string, number>();
  let total = 0;
  return {
    total: () => total,
    byOperation: () => Object.fromEntries(counts),
    record(label: string): void {
      total += 1;
      counts.set(label, (counts.get(label) ?? 0) + 1);
    },
  };
}

const MIDDLEWARE_NAME = 'credentialHealthCallCounter';

/**
 * Adds the counting middleware to a client. It sits in the `finalizeRequest` step, after the
 * retry middleware, so each HTTP attempt counts: a throttled call that is retried twice is
 * three calls against the account's rate limit.
 */
export function countCalls(
  client: { readonly middlewareStack: unknown },
  counter: CallCounter,
): void {
  // Every v3 client's stack has this `add`; its generic types differ per client, hence the cast.
  const stack = client.middlewareStack as CountableStack;
  stack.add(
    (next, context) => async (args) => {
      counter.record(`${context.clientName ?? 'Client'}.${context.commandName ?? 'Command'}`);
      return next(args);
    },
    { step: 'finalizeRequest', name: MIDDLEWARE_NAME, override: true },
  );
}
