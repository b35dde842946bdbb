import type { StoredRecord } from '../schema/types.js';

/**
 * What the store tells subscribers (PushTopics, Change Data Capture, platform-event channels) after a
 * transaction commits. Nothing is emitted for work that was rolled back.
 */

export type ChangeType = 'created' | 'updated' | 'deleted' | 'undeleted';

export interface ChangeEvent {
  readonly type: ChangeType;
  /** Canonical object name, e.g. `Account`. */
  readonly object: string;
  /** 18-character record id. */
  readonly id: string;
  /** The record after the change (for `deleted`: as it was marked deleted). */
  readonly record: StoredRecord;
  /** The record before the change (`updated`, `deleted`, `undeleted`); undefined for `created`. */
  readonly previous: StoredRecord | undefined;
  /** For `updated`: canonical names of the fields whose value changed; empty otherwise. */
  readonly changedFields: readonly string[];
  /** Who made the change. */
  readonly userId: string;
  /** Shared by every event of one transaction (a UUID), as CDC's `transactionKey`. */
  readonly transactionKey: string;
  /** 1-based order within the transaction, as CDC's `sequenceNumber`. */
  readonly sequenceNumber: number;
  /** Epoch ms of the commit. */
  readonly commitTimestamp: number;
}

/** A platform event published with `POST /sobjects/Foo__e`. */
export interface PlatformEventMessage {
  readonly object: string;
  /** The event's fields in wire form, with `CreatedDate`, `CreatedById` and `EventUuid`. */
  readonly payload: StoredRecord;
  readonly eventUuid: string;
  readonly userId: string;
  readonly publishedAt: number;
}

export type ChangeListener = (event: ChangeEvent) => void;
export type PlatformEventListener = (message: PlatformEventMessage) => void;

/** A minimal listener set: listeners run synchronously in subscription order; one failing does not stop the rest. */
export class ListenerSet<T> {
  readonly #listeners = new Set<(value: T) => void>();

  add(listener: (value: T) => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  get size(): number {
    return this.#listeners.size;
  }

  emit(value: T): void {
    for (const listener of this.#listeners) {
      try {
        listener(value);
      } catch (error) {
        // A subscriber's bug must not undo or block a committed transaction; report it and go on.
        process.emitWarning(
          `emulator change listener failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
  }
}
