import { type Connection, createConnection } from 'forcekit';
import type { Target } from '../child/protocol.js';
import type { BenchClient, ClientFactory, Row } from './client.js';

/**
 * forcekit through its public facade, with its defaults (plain records on `for await`, tracked records
 * from `execute()`, one page of prefetch).
 */
class Forcekit implements BenchClient {
  readonly #conn: Connection;
  readonly #queryOptions: { tracked?: true };

  constructor(target: Target, maxConcurrency: number, trackEverywhere: boolean) {
    this.#queryOptions = trackEverywhere ? { tracked: true } : {};
    this.#conn = createConnection({
      instanceUrl: target.instanceUrl,
      accessToken: target.accessToken,
      version: target.apiVersion,
      maxConcurrency,
    });
  }

  async queryStream(soql: string, onRecord: (record: Row) => void): Promise<number> {
    let count = 0;
    for await (const record of this.#conn.query<Row>(soql, this.#queryOptions)) {
      onRecord(record);
      count++;
    }
    return count;
  }

  async queryCollect(soql: string): Promise<readonly Row[]> {
    const result = await this.#conn
      .query<Row>(soql, this.#queryOptions)
      .execute({ autoFetch: true, maxFetch: Infinity });
    return result.records;
  }

  async create(type: string, record: Record<string, unknown>): Promise<string> {
    const result = await this.#conn.sobject(type).create(record);
    return result.id as string;
  }

  retrieve(type: string, id: string): Promise<Row> {
    return this.#conn.sobject(type).retrieve(id);
  }

  async update(type: string, id: string, fields: Record<string, unknown>): Promise<void> {
    await this.#conn.sobject(type).update({ Id: id, ...fields });
  }

  async createMany(type: string, records: readonly Record<string, unknown>[]): Promise<number> {
    const results = await this.#conn.sobject(type).create(records);
    return results.filter((result) => result.success).length;
  }

  close(): Promise<void> {
    return this.#conn.client.close();
  }
}

/**
 * `maxConcurrency` is raised from the default 10 to 16 so that the concurrency-16 round trips measure
 * the client rather than its queue (jsforce and raw undici have no such limit).
 */
export const createForcekit: ClientFactory = async (target) => new Forcekit(target, 16, false);

/** The diagnostic variant: every query returns tracked records (`tracked: true`), streams included. */
export const createForcekitTracked: ClientFactory = async (target) => new Forcekit(target, 16, true);
