import type { IncidentRecord } from '../core/incident-ledger.js';
import type { ReminderRecord } from '../core/reminders.js';

/** Remembers which rotation reminders went out, so none is lost or repeated. */
export interface ReminderLedger {
  /** Every reminder record. */
  loadReminders(): Promise<ReadonlyMap<string, ReminderRecord>>;
  /**
   * Writes the (pending) record if the ledger holds no higher or equal rung for the key, or the
   * same rung in a claim whose lease ended before `record.sentAt`. Returns false when another
   * (concurrent or retried) run claimed it first: then nothing must be sent.
   */
  claimReminder(record: ReminderRecord): Promise<boolean>;
  /** Marks this run's claim as sent (its message was published), unless a later run replaced it. */
  confirmReminder(record: ReminderRecord): Promise<void>;
  /**
   * Gives a claim back (its message could not be published) by restoring the record it replaced
   * (none: a record at rung 0), so the next run sends it. A claim a later run replaced is kept.
   */
  releaseReminder(record: ReminderRecord, previous: ReminderRecord | undefined): Promise<void>;
}

/** Remembers which incidents were announced, escalated and ended. */
export interface IncidentLedger {
  /** Every incident record (open and recently ended). */
  loadIncidents(): Promise<ReadonlyMap<string, IncidentRecord>>;
  /**
   * Writes the record if the ledger still holds `expectedVersion` (undefined: no record yet).
   * Returns false when another run wrote first: then nothing must be announced. Also confirms
   * an announcement: the same record, one version on, without `pendingUntil`.
   */
  writeIncident(record: IncidentRecord, expectedVersion: number | undefined): Promise<boolean>;
}

/** The instant a run is evaluated at. */
export interface Clock {
  now(): Date;
}

/** What a run counts, for the dashboard (EMF metrics in the deployed service). */
export interface RunMetrics {
  count(name: string, value: number, dimensions?: Readonly<Record<string, string>>): void;
}
