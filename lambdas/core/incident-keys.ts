import type { CredentialReportRow } from './credential-report.js';
import { describeError } from './errors.js';
import type { AccessKeyMetadata, IamUserDetail, Inventory, PrincipalRecord } from './inventory.js';
import { mergeListedKeys } from './inventory-builder.js';
import { maskAccessKeyId } from './mask.js';
import type { Incident, SourceStatus } from './report.js';
import type { AuditSources, SourceResult } from './sources.js';

/**
 * The long-term keys an audit's incidents need, looked up one by one after the records are read,
 * when the audit did not list every key first (live, `AuditOptions.keyIds`). The aim is the
 * inventory answer listing every key would give, for just these ids: a key found in its user's
 * listing has the record it would have had; a key that listing every key would not have found
 * (deleted, another account's, root's, a user whose report row holds no dated key) has none.
 *
 * How an id is settled, cheapest first: the user the trail shows holding it (a lifecycle call's
 * user, the IAM user that signed with it) has its keys listed (ListAccessKeys); otherwise, or
 * when that listing does not hold it, the source names its user (GetAccessKeyLastUsed) and that
 * user's keys are listed. An id that cannot be settled stays unknown, and the status says which
 * and why: the incident is still reported, as the keys it knows make it.
 */
export interface IncidentKeyResolver {
  /** Settles these ids and lists these users' keys; the inventory with what was found. */
  resolve(accessKeyIds: readonly string[], userNames: readonly string[]): Promise<Inventory>;
  /** True when the inventory's answer for this id is final (found, or known not to be found). */
  settled(accessKeyId: string): boolean;
  /** The principal the trail shows holding this key, if the inventory knows it. */
  holder(accessKeyId: string): PrincipalRecord | undefined;
  /**
   * One `sources` entry for everything resolved (degraded when an id stayed unknown); null when
   * nothing needed looking up.
   */
  status(): SourceStatus | null;
}

export interface IncidentKeyResolverInput {
  readonly sources: AuditSources;
  readonly rows: readonly CredentialReportRow[];
  readonly users: readonly IamUserDetail[] | null;
  readonly reportGeneratedAt: Date | null;
  /** The inventory as the audit has it (key ids of some users, or none). */
  readonly inventory: Inventory;
  /** Who the trail shows holding a key: a user name or a principal ARN (the correlator's hint). */
  readonly hint: (accessKeyId: string) => string | null;
}

/** Creates a resolver over the audit's inventory; see {@link IncidentKeyResolver}. */
export function createIncidentKeyResolver(input: IncidentKeyResolverInput): IncidentKeyResolver {
  return new Resolver(input);
}

/** Ids shown in a status line at most. */
const SHOWN_IDS = 5;

class Resolver implements IncidentKeyResolver {
  readonly #input: IncidentKeyResolverInput;
  readonly #byName: ReadonlyMap<string, PrincipalRecord>;
  #inventory: Inventory;
  /** Users whose keys were listed here, with the listing. */
  readonly #listed = new Map<string, readonly AccessKeyMetadata[]>();
  /** Ids known to be in no listing the full audit would have made. */
  readonly #absent = new Set<string>();
  /** Ids found in a listing (in `keysById` when joined to a report slot). */
  readonly #found = new Set<string>();
  /** Ids that could not be settled, and why. */
  readonly #failed = new Map<string, string>();
  /** Users whose keys could not be listed (not asked again). */
  readonly #unlisted = new Set<string>();
  readonly #notes: string[] = [];
  /** Every id asked about, for the status. */
  readonly #asked = new Set<string>();
  #ownerLookups = 0;
  #apiCalls = 0;
  #degraded = false;

  public constructor(input: IncidentKeyResolverInput) {
    this.#input = input;
    this.#inventory = input.inventory;
    this.#byName = principalIndex(input.inventory);
  }

  public settled(accessKeyId: string): boolean {
    return (
      !accessKeyId.startsWith('AKIA') ||
      this.#inventory.keysById.has(accessKeyId) ||
      this.#found.has(accessKeyId) ||
      this.#absent.has(accessKeyId)
    );
  }

  public holder(accessKeyId: string): PrincipalRecord | undefined {
    const hint = this.#input.hint(accessKeyId);
    return hint === null ? undefined : this.#byName.get(hint);
  }

  public async resolve(
    accessKeyIds: readonly string[],
    userNames: readonly string[],
  ): Promise<Inventory> {
    const pending = [...new Set(accessKeyIds)].filter(
      (id) => !this.settled(id) && !this.#failed.has(id),
    );
    for (const id of pending) this.#asked.add(id);
    const wanted = new Map<string, string[]>();
    const lookUp: string[] = [];
    for (const id of pending) {
      const holder = this.holder(id);
      if (holder === undefined) lookUp.push(id);
      else this.#route(id, holder, wanted);
    }
    for (const name of userNames) {
      const principal = this.#byName.get(name);
      if (principal && canHoldIds(principal) && !wanted.has(name)) wanted.set(name, []);
    }
    await this.#list(wanted);
    // Not in the listing of the user the trail shows holding it (deleted since, or the trail
    // misled): IAM names the key's user, if any.
    for (const ids of wanted.values())
      for (const id of ids) if (!this.#found.has(id) && !this.#failed.has(id)) lookUp.push(id);

    if (lookUp.length > 0) {
      const owners = await this.#owners(lookUp);
      const second = new Map<string, string[]>();
      for (const id of lookUp) {
        if (!owners.has(id)) continue;
        const owner = owners.get(id);
        const principal = owner == null ? undefined : this.#byName.get(owner);
        if (principal === undefined) this.#absent.add(id);
        else this.#route(id, principal, second);
      }
      await this.#list(second);
      for (const ids of second.values())
        for (const id of ids)
          if (!this.#found.has(id) && !this.#failed.has(id)) this.#absent.add(id);
    }
    this.#inventory = this.#merged();
    return this.#inventory;
  }

  public status(): SourceStatus | null {
    if (this.#asked.size === 0 && this.#listed.size === 0 && this.#notes.length === 0) return null;
    const parts = [
      `${this.#asked.size} key id(s) the incidents need: ${this.#countAsked(this.#found)} found, ${this.#countAsked(this.#absent)} not in any IAM user's key listing (deleted, root's, or another account's)`,
      `IAM ListAccessKeys for ${this.#listed.size} user(s), GetAccessKeyLastUsed for ${this.#ownerLookups} id(s)`,
      ...this.#notes,
    ];
    if (this.#unlisted.size > 0) {
      const names = [...this.#unlisted].sort();
      parts.push(
        `the keys of ${names.length} user(s) could not be listed, so the keys a quarantined user held may be incomplete: ${names.slice(0, SHOWN_IDS).join(', ')}${names.length > SHOWN_IDS ? ', …' : ''}`,
      );
    }
    if (this.#failed.size > 0) {
      const shown = [...this.#failed]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .slice(0, SHOWN_IDS)
        .map(([id, why]) => `${maskAccessKeyId(id)} (${why})`);
      const more =
        this.#failed.size > SHOWN_IDS ? `, and ${this.#failed.size - SHOWN_IDS} more` : '';
      parts.push(
        `${this.#failed.size} key id(s) could not be looked up, so their incidents are reported without the key's user and status (a revoked key may show as invalid-credentials): ${shown.join(', ')}${more}`,
      );
    }
    return {
      name: 'iam-incident-keys',
      status:
        this.#degraded || this.#failed.size > 0 || this.#unlisted.size > 0 ? 'degraded' : 'ok',
      detail: parts.join('; '),
      itemsRead: this.#countAsked(this.#found),
      apiCalls: this.#apiCalls,
    };
  }

  #countAsked(ids: ReadonlySet<string>): number {
    let count = 0;
    for (const id of this.#asked) if (ids.has(id)) count += 1;
    return count;
  }

  /** Root's keys and users without a dated key slot are never listed, so never get an id. */
  #route(id: string, principal: PrincipalRecord, wanted: Map<string, string[]>): void {
    if (!canHoldIds(principal)) {
      this.#absent.add(id);
      return;
    }
    const ids = wanted.get(principal.name);
    if (ids === undefined) wanted.set(principal.name, [id]);
    else ids.push(id);
  }

  async #list(wanted: ReadonlyMap<string, readonly string[]>): Promise<void> {
    const why = "its holder's keys could not be listed";
    for (const [name, ids] of wanted)
      if (this.#unlisted.has(name)) for (const id of ids) this.#failed.set(id, why);
    const names = [...wanted.keys()]
      .filter((name) => !this.#listed.has(name) && !this.#unlisted.has(name))
      .sort();
    if (names.length === 0) return;
    const result = await this.#call('ListAccessKeys', () =>
      this.#input.sources.accessKeysOf
        ? this.#input.sources.accessKeysOf(names)
        : Promise.reject(new Error('these sources cannot list keys by user')),
    );
    if (result === undefined) {
      for (const name of names) this.#unlisted.add(name);
      for (const name of names) for (const id of wanted.get(name) ?? []) this.#failed.set(id, why);
      return;
    }
    const byUser = new Map<string, AccessKeyMetadata[]>(names.map((name) => [name, []]));
    for (const key of result) byUser.get(key.UserName)?.push(key);
    for (const [name, keys] of byUser) {
      this.#listed.set(name, keys);
      for (const key of keys) this.#found.add(key.AccessKeyId);
    }
  }

  /** GetAccessKeyLastUsed by id; an id missing from the answer could not be looked up. */
  async #owners(ids: readonly string[]): Promise<ReadonlyMap<string, string | null>> {
    const sorted = [...ids].sort();
    this.#ownerLookups += sorted.length;
    const lookUp = this.#input.sources.accessKeyOwners;
    const result = await this.#call(
      'GetAccessKeyLastUsed',
      () =>
        lookUp
          ? lookUp(sorted)
          : Promise.reject(new Error('these sources cannot look a key id up')),
      true,
    );
    const why = 'GetAccessKeyLastUsed gave no answer';
    for (const id of sorted) if (!result?.has(id)) this.#failed.set(id, why);
    return result ?? new Map();
  }

  /** One port call: its API calls counted, its failure or degraded note kept for the status. */
  async #call<T>(
    what: string,
    read: () => Promise<SourceResult<T>>,
    /** Keep the source's detail even when it is ok (which accounts foreign keys belong to). */
    keepDetail = false,
  ): Promise<T | undefined> {
    try {
      const result = await read();
      this.#apiCalls += result.apiCalls ?? 0;
      if (result.status !== 'ok') this.#degraded = true;
      if (result.status !== 'ok' || keepDetail) this.#notes.push(`${what}: ${result.detail}`);
      return result.status === 'missing' ? undefined : result.value;
    } catch (error) {
      this.#degraded = true;
      this.#notes.push(`${what} failed: ${describeError(error)}`);
      return undefined;
    }
  }

  /** The audit's inventory with the listed users' principals rebuilt from their listing. */
  #merged(): Inventory {
    if (this.#listed.size === 0) return this.#inventory;
    return mergeListedKeys(
      this.#inventory,
      this.#input,
      this.#listed,
      [...this.#listed.values()].flat(),
    ).merged;
  }
}

/**
 * The AKIA ids whose owner lookup could change an incident's owner. The audit names an owner
 * from the first of the incident's keys' users, then its principals, that the inventory knows;
 * an unsettled key's user there is either its holder (the trail shows who signed with it) or
 * unknown. When every candidate is one principal and that principal is known for sure (from a
 * principal of the incident or a settled key), the owner is the same whatever the lookup finds,
 * so the key is not looked up: the common case of a user's own failing calls.
 */
export function keysOwnersNeed(
  incidents: readonly Incident[],
  inventory: Inventory,
  resolver: Pick<IncidentKeyResolver, 'settled' | 'holder'>,
): string[] {
  const byName = principalIndex(inventory);
  const needed = new Set<string>();
  for (const incident of incidents) {
    const open = incident.accessKeyIds.filter((id) => !resolver.settled(id));
    if (open.length === 0) continue;
    const candidates = new Set<PrincipalRecord>();
    let known = false;
    let unknownHolder = false;
    for (const id of incident.accessKeyIds) {
      if (open.includes(id)) {
        const holder = resolver.holder(id);
        if (holder === undefined) unknownHolder = true;
        else candidates.add(holder);
        continue;
      }
      const name = inventory.keysById.get(id)?.userName;
      const principal = name === undefined ? undefined : byName.get(name);
      if (principal) {
        candidates.add(principal);
        known = true;
      }
    }
    for (const name of incident.principals) {
      const principal = byName.get(name);
      if (principal) {
        candidates.add(principal);
        known = true;
      }
    }
    if (unknownHolder || !known || candidates.size !== 1) for (const id of open) needed.add(id);
  }
  return [...needed].sort();
}

/** Principals by name and by ARN, as the audit finds an incident's owner. */
function principalIndex(inventory: Inventory): Map<string, PrincipalRecord> {
  const byName = new Map<string, PrincipalRecord>();
  for (const principal of inventory.principals) {
    byName.set(principal.name, principal);
    if (principal.arn) byName.set(principal.arn, principal);
  }
  return byName;
}

/** Listing every key lists IAM users whose report row shows a dated key: only those get ids. */
function canHoldIds(principal: PrincipalRecord): boolean {
  return principal.type === 'IAMUser' && principal.accessKeys.some((key) => key.createdAt !== null);
}
