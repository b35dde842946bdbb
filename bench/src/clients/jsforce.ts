import type { Target } from '../child/protocol.js';
import type { BenchClient, ClientFactory, Row } from './client.js';

// The slice of jsforce 3's API the benchmark uses, typed here: jsforce is loaded at run time from the
// version under test (`jsforce` or the `jsforce-latest` alias), never from its type declarations.
interface JsforceSaveResult {
  id?: string;
  success: boolean;
}
interface JsforceQuery extends PromiseLike<{ records: Row[] }> {
  on(event: 'record', listener: (record: Row) => void): JsforceQuery;
  on(event: 'end', listener: () => void): JsforceQuery;
  on(event: 'error', listener: (error: Error) => void): JsforceQuery;
  run(options: { autoFetch: boolean; maxFetch: number }): JsforceQuery;
}
interface JsforceSObject {
  create(record: Record<string, unknown>): Promise<JsforceSaveResult>;
  create(
    records: readonly Record<string, unknown>[],
    options: { allowRecursive: boolean },
  ): Promise<JsforceSaveResult[]>;
  retrieve(id: string): Promise<Row>;
  update(record: Record<string, unknown>): Promise<JsforceSaveResult>;
}
interface JsforceConnection {
  query(soql: string): JsforceQuery;
  sobject(type: string): JsforceSObject;
}
interface JsforceModule {
  Connection: new (options: {
    instanceUrl: string;
    accessToken: string;
    version: string;
  }) => JsforceConnection;
}

/** jsforce's own maxFetch must be given a number; this is more than any scenario reads. */
const NO_LIMIT = 1_000_000_000;

/** jsforce 3, each operation the way its documentation shows. */
class Jsforce implements BenchClient {
  readonly #conn: JsforceConnection;

  constructor(module: JsforceModule, target: Target) {
    this.#conn = new module.Connection({
      instanceUrl: target.instanceUrl,
      accessToken: target.accessToken,
      version: target.apiVersion,
    });
  }

  /**
   * jsforce's streaming style: `query.on('record', ...).run({ autoFetch })`. (jsforce still keeps
   * every record: its Query concatenates each page into `records` and pushes each record into a
   * record stream that nobody reads.)
   */
  queryStream(soql: string, onRecord: (record: Row) => void): Promise<number> {
    return new Promise((resolve, reject) => {
      let count = 0;
      this.#conn
        .query(soql)
        .on('record', (record) => {
          onRecord(record);
          count++;
        })
        .on('end', () => resolve(count))
        .on('error', reject)
        .run({ autoFetch: true, maxFetch: NO_LIMIT });
    });
  }

  async queryCollect(soql: string): Promise<readonly Row[]> {
    const result = await this.#conn.query(soql).run({ autoFetch: true, maxFetch: NO_LIMIT });
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

  /** `allowRecursive` sends the collection 200 records a request, one request after another. */
  async createMany(type: string, records: readonly Record<string, unknown>[]): Promise<number> {
    const results = await this.#conn.sobject(type).create(records, { allowRecursive: true });
    return results.filter((result) => result.success).length;
  }

  async close(): Promise<void> {}
}

export const createJsforce: ClientFactory = async (target, jsforceUrl) => {
  if (jsforceUrl === undefined) throw new Error('a jsforce client needs the jsforce module to load');
  const loaded = (await import(jsforceUrl)) as JsforceModule & { default?: JsforceModule };
  return new Jsforce(loaded.default ?? loaded, target);
};
