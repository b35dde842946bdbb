import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { request } from 'undici';
import type { Target } from '../child/protocol.js';
import type { BenchClient, ClientFactory, Row } from './client.js';

const gunzipAsync = promisify(gunzip);

interface Page {
  done: boolean;
  nextRecordsUrl?: string;
  records: Row[];
}

interface SaveResult {
  id: string | null;
  success: boolean;
}

type Body = Awaited<ReturnType<typeof request>>['body'];

/** The floor: undici's `request()` and `body.json()`, nothing else (gzip bodies inflated in one call). */
class RawUndici implements BenchClient {
  readonly #origin: string;
  readonly #data: string;
  readonly #headers: Record<string, string>;

  constructor(target: Target) {
    this.#origin = target.instanceUrl;
    this.#data = `/services/data/v${target.apiVersion}`;
    this.#headers = { authorization: `Bearer ${target.accessToken}`, 'accept-encoding': 'gzip' };
  }

  async #json<T>(path: string, method: 'GET' | 'POST' | 'PATCH' = 'GET', body?: unknown): Promise<T> {
    const response = await request(this.#origin + path, {
      method,
      headers: body === undefined ? this.#headers : { ...this.#headers, 'content-type': 'application/json' },
      body: body === undefined ? null : JSON.stringify(body),
    });
    if (response.statusCode >= 300) {
      const text = await response.body.text();
      throw new Error(`${method} ${path}: ${response.statusCode} ${text.slice(0, 200)}`);
    }
    if (response.statusCode === 204) {
      await response.body.dump();
      return undefined as T;
    }
    return response.headers['content-encoding'] === 'gzip'
      ? (JSON.parse((await gunzipAsync(await bytesOf(response.body))).toString('utf8')) as T)
      : ((await response.body.json()) as T);
  }

  async *#pages(soql: string): AsyncGenerator<Page> {
    let path: string | undefined = `${this.#data}/query?q=${encodeURIComponent(soql)}`;
    while (path !== undefined) {
      const page: Page = await this.#json<Page>(path);
      yield page;
      path = page.done ? undefined : page.nextRecordsUrl;
    }
  }

  async queryStream(soql: string, onRecord: (record: Row) => void): Promise<number> {
    let count = 0;
    for await (const page of this.#pages(soql)) {
      for (const record of page.records) onRecord(record);
      count += page.records.length;
    }
    return count;
  }

  async queryCollect(soql: string): Promise<readonly Row[]> {
    const records: Row[] = [];
    for await (const page of this.#pages(soql)) {
      for (const record of page.records) records.push(record);
    }
    return records;
  }

  async create(type: string, record: Record<string, unknown>): Promise<string> {
    const result = await this.#json<SaveResult>(`${this.#data}/sobjects/${type}`, 'POST', record);
    return result.id as string;
  }

  retrieve(type: string, id: string): Promise<Row> {
    return this.#json<Row>(`${this.#data}/sobjects/${type}/${id}`);
  }

  async update(type: string, id: string, fields: Record<string, unknown>): Promise<void> {
    await this.#json(`${this.#data}/sobjects/${type}/${id}`, 'PATCH', fields);
  }

  /** Chunks of 200, four requests in flight (forcekit's default), as a hand-written loader would. */
  async createMany(type: string, records: readonly Record<string, unknown>[]): Promise<number> {
    const chunks: Record<string, unknown>[][] = [];
    for (let i = 0; i < records.length; i += 200) {
      chunks.push(records.slice(i, i + 200).map((record) => ({ attributes: { type }, ...record })));
    }
    let next = 0;
    let succeeded = 0;
    const lane = async () => {
      while (next < chunks.length) {
        const chunk = chunks[next++] as Record<string, unknown>[];
        const results = await this.#json<SaveResult[]>(`${this.#data}/composite/sobjects`, 'POST', {
          allOrNone: false,
          records: chunk,
        });
        for (const result of results) if (result.success) succeeded++;
      }
    };
    await Promise.all([lane(), lane(), lane(), lane()]);
    return succeeded;
  }

  async close(): Promise<void> {}
}

async function bytesOf(body: Body): Promise<Buffer> {
  return Buffer.from(await body.arrayBuffer());
}

export const createRawUndici: ClientFactory = async (target) => new RawUndici(target);
