import type { Bulk } from '@forcekit/bulk';
import type { Requester } from '@forcekit/core';
import {
  type RecordInput,
  type SaveResult,
  SObject,
  type SObjectOptions,
  type UpsertResult,
} from '@forcekit/sobject';
import {
  createMany,
  deleteMany,
  type IdOrRecord,
  type SaveManyOptions,
  type SaveManyTarget,
  type UpsertManyOptions,
  updateMany,
  upsertMany,
} from './save-many.js';

/**
 * The repository `conn.sobject(name)` returns: `@forcekit/sobject`'s `SObject<T>` (every method of it),
 * plus the size-aware saves `createMany`, `updateMany`, `upsertMany` and `deleteMany`, which pick sObject
 * Collections or Bulk API 2.0 by the number of records and answer the same way either way.
 */
export class ConnectionSObject<T extends object> extends SObject<T> {
  readonly #target: SaveManyTarget<T>;

  constructor(
    requester: Requester,
    type: string,
    options: SObjectOptions & { readonly bulk: Bulk; readonly bulkThreshold: number },
  ) {
    const { bulk, bulkThreshold, ...sobjectOptions } = options;
    super(requester, type, sobjectOptions);
    this.#target = { repository: this, bulk, bulkThreshold };
  }

  /**
   * Creates many records: through sObject Collections up to `bulkThreshold` records (default 2,000),
   * through a Bulk API 2.0 insert above it. One `{ id, success, errors }` per record, in input order;
   * a record Bulk API never processed fails with `statusCode` `BULK_UNPROCESSED`.
   */
  createMany(records: readonly RecordInput<T>[], options?: SaveManyOptions): Promise<SaveResult[]> {
    return createMany(this.#target, records, options);
  }

  /** Updates many records (each with its `Id`), as `createMany` chooses. */
  updateMany(records: readonly RecordInput<T>[], options?: SaveManyOptions): Promise<SaveResult[]> {
    return updateMany(this.#target, records, options);
  }

  /** Upserts many records by `options.externalIdField`, as `createMany` chooses; `created` tells which. */
  upsertMany(records: readonly RecordInput<T>[], options?: UpsertManyOptions): Promise<UpsertResult[]> {
    return upsertMany(this.#target, records, options);
  }

  /** Deletes many records by Id (or records with an `Id`), as `createMany` chooses. */
  deleteMany(idsOrRecords: readonly IdOrRecord[], options?: SaveManyOptions): Promise<SaveResult[]> {
    return deleteMany(this.#target, idsOrRecords, options);
  }
}
