import type { Sleep } from '../../adapters/sleep.js';
import { realSleep } from '../../adapters/sleep.js';
import { CredentialHealthError } from '../../core/errors.js';

/**
 * A run-level time budget for the live sources: a Lambda must stop reading before its own
 * timeout and still return a report that says what it did not cover, rather than be killed
 * with nothing sent. The budget bounds every wait the adapters make (throttling back-off,
 * polling a credential report or a Logs Insights query) and is checked between records.
 */
export interface TimeBudget {
  /** Epoch milliseconds after which no source starts another request or wait. */
  readonly deadline: number;
  /** Milliseconds clock. */
  readonly clock: () => number;
  /** Milliseconds left; 0 once the deadline has passed. */
  remainingMs(): number;
  expired(): boolean;
  /**
   * Waits like `sleep`, or throws {@link TimeBudgetExceededError} at once when the wait would
   * end after the deadline: a wait that cannot finish in time is not started.
   */
  readonly sleep: Sleep;
}

/** Thrown by a budget's `sleep`; the live sources turn it into a `degraded` status. */
export class TimeBudgetExceededError extends CredentialHealthError {
  public readonly deadline: number;
  public constructor(deadline: number, what: string) {
    super(`time budget ran out at ${new Date(deadline).toISOString()} (${what})`);
    this.name = 'TimeBudgetExceededError';
    this.deadline = deadline;
  }
}

/**
 * A budget ending at `deadline`.
 *
 * @example
 * // In a handler: stop 30 s before Lambda's own timeout.
 * createTimeBudget(Date.now() + context.getRemainingTimeInMillis() - 30_000)
 */
export function createTimeBudget(
  deadline: number,
  options: { readonly clock?: () => number; readonly sleep?: Sleep } = {},
): TimeBudget {
  const clock = options.clock ?? Date.now;
  const sleep = options.sleep ?? realSleep;
  const remainingMs = (): number => Math.max(0, deadline - clock());
  return {
    deadline,
    clock,
    remainingMs,
    expired: () => clock() >= deadline,
    sleep: async (ms) => {
      if (clock() + ms > deadline) {
        throw new TimeBudgetExceededError(deadline, `a ${Math.round(ms)} ms wait would pass it`);
      }
      await sleep(ms);
    },
  };
}

/**
 * Reads `source` until it ends or the budget runs out, checked before each record and by the
 * budget's own `sleep` inside the adapters. When it runs out, the source is closed and
 * `onStop` is told how many records were read, so the stream's status can say what part of
 * the window was not covered; nothing is thrown.
 */
export async function* withinBudget<T>(
  source: AsyncGenerator<T>,
  budget: TimeBudget | undefined,
  onStop: (why: string, recordsRead: number) => void,
): AsyncGenerator<T> {
  if (budget === undefined) {
    yield* source;
    return;
  }
  let read = 0;
  try {
    for (;;) {
      if (budget.expired()) {
        onStop(`time budget ran out at ${new Date(budget.deadline).toISOString()}`, read);
        return;
      }
      let next: IteratorResult<T>;
      try {
        next = await source.next();
      } catch (error) {
        if (!(error instanceof TimeBudgetExceededError)) throw error;
        onStop(error.message, read);
        return;
      }
      if (next.done) return;
      read += 1;
      yield next.value;
    }
  } finally {
    await source.return(undefined);
  }
}

/** The part of a Lambda context a budget needs. */
export interface RemainingTime {
  getRemainingTimeInMillis(): number;
}

/**
 * A budget that ends before the Lambda's own timeout, leaving the rest of the run (ledger
 * writes, publishing) a margin: a fifth of the remaining time, at least 10 s and at most 60 s.
 * Undefined without a context (a test calling the handler directly): no budget.
 *
 * @example const budget = lambdaTimeBudget(context);
 */
export function lambdaTimeBudget(
  context: RemainingTime | undefined,
  clock: () => number = Date.now,
): TimeBudget | undefined {
  if (context === undefined || typeof context.getRemainingTimeInMillis !== 'function')
    return undefined;
  const remaining = context.getRemainingTimeInMillis();
  const margin = Math.min(60_000, Math.max(10_000, remaining / 5));
  return createTimeBudget(clock() + Math.max(0, remaining - margin), { clock });
}

/** Adapter options with every wait bounded by the budget (unchanged when there is none). */
export function budgeted<T extends { readonly sleep?: Sleep }>(
  options: T,
  budget: TimeBudget | undefined,
): T {
  if (budget === undefined) return options;
  return { ...options, sleep: budget.sleep };
}
