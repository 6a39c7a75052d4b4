import { describe, expect, it } from 'vitest';
import { timeBudgetFrom } from '../../lambdas/cli/live.js';
import { ConfigError } from '../../lambdas/core/errors.js';
import {
  createTimeBudget,
  lambdaTimeBudget,
  TimeBudgetExceededError,
  withinBudget,
} from '../../lambdas/sources/live/time-budget.js';
import { fakeTime } from './support.js';

/** The run time budget: bounded waits, and streams that stop cleanly at the deadline. */

async function* counting(time: ReturnType<typeof fakeTime>, stepMs: number, n: number) {
  for (let i = 0; i < n; i += 1) {
    await time.sleep(stepMs);
    yield i;
  }
}

async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of source) items.push(item);
  return items;
}

describe('createTimeBudget', () => {
  it('lets a wait that ends at the deadline run, and refuses one that would end after it', async () => {
    // Prepare
    const time = fakeTime(1_000);
    const budget = createTimeBudget(4_000, { clock: time.now, sleep: time.sleep });

    // Act
    await budget.sleep(3_000);
    const refused = await budget.sleep(1).catch((e: unknown) => e);

    // Assess
    expect(time.waits).toEqual([3_000]);
    expect(refused).toBeInstanceOf(TimeBudgetExceededError);
    expect((refused as Error).message).toBe(
      'time budget ran out at 1970-01-01T00:00:04.000Z (a 1 ms wait would pass it)',
    );
    expect(budget.expired()).toBe(true);
    expect(budget.remainingMs()).toBe(0);
  });
});

describe('withinBudget', () => {
  it('passes everything through when there is no budget', async () => {
    // Act
    const items = await collect(withinBudget(counting(fakeTime(), 10, 3), undefined, () => {}));

    // Assess
    expect(items).toEqual([0, 1, 2]);
  });

  it('asks for no record once the deadline has passed, and says how many were read', async () => {
    // Prepare
    const time = fakeTime();
    const budget = createTimeBudget(25, { clock: time.now, sleep: time.sleep });
    const stops: [string, number][] = [];

    // Act
    const items = await collect(
      withinBudget(counting(time, 10, 10), budget, (why, read) => stops.push([why, read])),
    );

    // Assess: the record asked for at 20 ms arrived at 30 ms and is kept; nothing more is asked.
    expect(items).toEqual([0, 1, 2]);
    expect(stops).toEqual([['time budget ran out at 1970-01-01T00:00:00.025Z', 3]]);
  });

  it('turns a bounded wait refused inside the source into a clean stop', async () => {
    // Prepare
    const time = fakeTime();
    const budget = createTimeBudget(25, { clock: time.now, sleep: time.sleep });
    const stops: number[] = [];

    // Act
    const items = await collect(
      withinBudget(
        (async function* () {
          yield 'a';
          await budget.sleep(100);
          yield 'b';
        })(),
        budget,
        (_why, read) => stops.push(read),
      ),
    );

    // Assess
    expect(items).toEqual(['a']);
    expect(stops).toEqual([1]);
  });

  it('lets any other error through', async () => {
    // Prepare
    const budget = createTimeBudget(Number.MAX_SAFE_INTEGER);
    const failing = (async function* () {
      yield 1;
      throw new Error('AccessDenied');
    })();

    // Act
    const result = collect(withinBudget(failing, budget, () => {}));

    // Assess
    await expect(result).rejects.toThrow('AccessDenied');
  });
});

describe('timeBudgetFrom (CREDHEALTH_TIME_BUDGET)', () => {
  it.each([
    ['90s', 90_000],
    ['15m', 900_000],
    ['500ms', 500],
    ['30', 30_000],
  ])('reads %j as %d ms from now', (text, ms) => {
    expect(timeBudgetFrom(text, () => 1_000)?.deadline).toBe(1_000 + ms);
  });

  it('is absent when not set', () => {
    expect(timeBudgetFrom(undefined)).toBeUndefined();
    expect(timeBudgetFrom('')).toBeUndefined();
  });

  it.each(['soon', '-5s', '1h', '5 s', '9999999999', '5s\nrm -rf'])(
    'refuses %j in one line',
    (text) => {
      expect(() => timeBudgetFrom(text)).toThrow(ConfigError);
      expect(() => timeBudgetFrom(text)).toThrow(/^CREDHEALTH_TIME_BUDGET: ".*" is not a duration/);
    },
  );
});

describe('lambdaTimeBudget', () => {
  it.each([
    [900_000, 840_000],
    [300_000, 240_000],
    [100_000, 80_000],
    [30_000, 20_000],
    [5_000, 0],
  ])('with %d ms left, ends %d ms from now', (remaining, budget) => {
    expect(
      lambdaTimeBudget({ getRemainingTimeInMillis: () => remaining }, () => 1_000)?.deadline,
    ).toBe(1_000 + budget);
  });

  it('is absent without a context', () => {
    expect(lambdaTimeBudget(undefined)).toBeUndefined();
  });
});
