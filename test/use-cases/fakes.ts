import type { IncidentRecord } from '../../lambdas/core/incident-ledger.js';
import type { ReminderRecord } from '../../lambdas/core/reminders.js';
import type { OutgoingMessage } from '../../lambdas/render/notifications/outgoing-message.js';
import type {
  Clock,
  IncidentLedger,
  ReminderLedger,
  RunMetrics,
} from '../../lambdas/use-cases/ports.js';
import type { PublishResult } from '../../lambdas/use-cases/publish.js';

/** An in-memory ledger with the same conditions as the DynamoDB one. */
export function memoryLedger(): ReminderLedger &
  IncidentLedger & {
    reminders: Map<string, ReminderRecord>;
    incidents: Map<string, IncidentRecord>;
  } {
  const reminders = new Map<string, ReminderRecord>();
  const incidents = new Map<string, IncidentRecord>();
  return {
    reminders,
    incidents,
    loadReminders: async () => new Map(reminders),
    claimReminder: async (record) => {
      const current = reminders.get(record.key);
      const expired =
        current?.rung === record.rung &&
        current.pendingUntil !== undefined &&
        current.pendingUntil <= record.sentAt;
      if (current !== undefined && current.rung >= record.rung && !expired) return false;
      reminders.set(record.key, record);
      return true;
    },
    confirmReminder: async (record) => {
      const current = reminders.get(record.key);
      if (current?.rung === record.rung && current.sentAt === record.sentAt) {
        const { pendingUntil: _pendingUntil, ...sent } = current;
        reminders.set(record.key, sent);
      }
    },
    releaseReminder: async (record, previous) => {
      const current = reminders.get(record.key);
      if (current?.rung === record.rung && current.sentAt === record.sentAt) {
        reminders.set(
          record.key,
          previous ?? {
            key: current.key,
            stage: current.stage,
            rung: 0,
            sentAt: new Date(0).toISOString(),
          },
        );
      }
    },
    loadIncidents: async () => new Map(incidents),
    writeIncident: async (record, expectedVersion) => {
      if (incidents.get(record.id)?.version !== expectedVersion) return false;
      incidents.set(record.id, record);
      return true;
    },
  };
}

/** A publisher that records what it was given; `fail` makes the next call throw. */
export function recordingPublisher(): {
  publish: (messages: readonly OutgoingMessage[]) => Promise<PublishResult>;
  sent: OutgoingMessage[][];
  failNext: (how: 'throw' | 'refuse-all') => void;
} {
  const sent: OutgoingMessage[][] = [];
  let failure: 'throw' | 'refuse-all' | undefined;
  return {
    sent,
    failNext: (how) => {
      failure = how;
    },
    publish: async (messages) => {
      const how = failure;
      failure = undefined;
      if (how === 'throw') throw new Error('SNS is unavailable');
      if (how === 'refuse-all')
        return { published: 0, failed: messages.map((m) => ({ id: m.id })) };
      sent.push([...messages]);
      return { published: messages.length, failed: [] };
    },
  };
}

/** A clock that says what it is told. */
export function fixedClock(iso: string): Clock & { set(iso: string): void } {
  let now = new Date(iso);
  return {
    now: () => now,
    set: (next) => {
      now = new Date(next);
    },
  };
}

/** Metrics kept in a list. */
export function listMetrics(): RunMetrics & {
  entries: { name: string; value: number; dimensions?: Readonly<Record<string, string>> }[];
} {
  const entries: { name: string; value: number; dimensions?: Readonly<Record<string, string>> }[] =
    [];
  return {
    entries,
    count: (name, value, dimensions) => {
      entries.push({ name, value, ...(dimensions ? { dimensions } : {}) });
    },
  };
}
