/**
 * A set that stops growing at a fixed size and counts what it turned away, so an incident fed
 * millions of records still holds a bounded amount of memory.
 */
export class BoundedSet {
  readonly #values = new Set<string>();
  #overflow = 0;

  public constructor(public readonly limit: number) {}

  /**
   * Adds a value; once the set is full, new values are only counted.
   * @returns true when the value was not in the set and now is.
   */
  public add(value: string | null | undefined): boolean {
    if (value === null || value === undefined || value === '') return false;
    if (this.#values.has(value)) return false;
    if (this.#values.size >= this.limit) {
      this.#overflow += 1;
      return false;
    }
    this.#values.add(value);
    return true;
  }

  public has(value: string): boolean {
    return this.#values.has(value);
  }

  public get size(): number {
    return this.#values.size;
  }

  /** Values turned away because the set was full (a value offered twice is counted twice). */
  public get overflow(): number {
    return this.#overflow;
  }

  /** The values, sorted so that output does not depend on the order records arrived in. */
  public sorted(): string[] {
    return [...this.#values].sort();
  }
}

/**
 * A counter per key with a bounded number of keys; counts for keys beyond the bound are added
 * to `other`.
 */
export class BoundedCounter {
  readonly #counts = new Map<string, number>();
  #other = 0;

  public constructor(
    public readonly limit: number,
    private readonly otherKey = 'Other',
  ) {}

  public add(key: string, amount = 1): void {
    const current = this.#counts.get(key);
    if (current !== undefined) {
      this.#counts.set(key, current + amount);
    } else if (this.#counts.size < this.limit) {
      this.#counts.set(key, amount);
    } else {
      this.#other += amount;
    }
  }

  /** Counts with keys in alphabetical order; the overflow bucket last. */
  public toRecord(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const key of [...this.#counts.keys()].sort()) out[key] = this.#counts.get(key) ?? 0;
    if (this.#other > 0) out[this.otherKey] = (out[this.otherKey] ?? 0) + this.#other;
    return out;
  }
}

/**
 * A map that holds at most `limit` entries by keeping two generations: when the current one is
 * half full it becomes the previous one and the old previous one is dropped. Every operation
 * is O(1); recently written entries survive, the oldest go first. (Deleting the first entry of
 * one big Map again and again is not O(1) in V8, which is why this is not a plain Map.)
 */
export class GenerationalMap<V> {
  #current = new Map<string, V>();
  #previous = new Map<string, V>();
  #dropped = 0;

  public constructor(public readonly limit: number) {}

  public get(key: string): V | undefined {
    return this.#current.get(key) ?? this.#previous.get(key);
  }

  public set(key: string, value: V): void {
    if (this.#current.has(key)) {
      this.#current.set(key, value);
      return;
    }
    this.#previous.delete(key);
    if (this.#current.size >= Math.max(1, Math.floor(this.limit / 2))) {
      this.#dropped += this.#previous.size;
      this.#previous = this.#current;
      this.#current = new Map();
    }
    this.#current.set(key, value);
  }

  public get size(): number {
    return this.#current.size + this.#previous.size;
  }

  /** Entries dropped to stay within the limit. */
  public get dropped(): number {
    return this.#dropped;
  }

  /** Oldest generation first. */
  public *values(): IterableIterator<V> {
    yield* this.#previous.values();
    yield* this.#current.values();
  }
}
