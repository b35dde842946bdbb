/** Plain HTTP helpers for the bulk tests: they speak the wire, not an SDK. */
import { setTimeout as sleep } from 'node:timers/promises';
import { type Emulator, type EmulatorOptions, startEmulator } from '../src/index.js';

export interface Answer<T = unknown> {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly body: T;
}

export type JobInfo = Record<string, unknown> & { id: string; state: string };
export type BulkErrors = { errorCode: string; message: string }[];

export class BulkClient {
  readonly emulator: Emulator;
  readonly base: string;
  token: string;

  constructor(emulator: Emulator, version = '62.0') {
    this.emulator = emulator;
    this.base = `${emulator.url}/services/data/v${version}/jobs`;
    this.token = emulator.credentials.accessToken;
  }

  async send<T = unknown>(
    method: string,
    path: string,
    init: { json?: unknown; body?: string | Uint8Array; headers?: Record<string, string> } = {},
  ): Promise<Answer<T>> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.token}`, ...init.headers };
    let body: string | Uint8Array | undefined = init.body;
    if (init.json !== undefined) {
      headers['content-type'] = 'application/json; charset=UTF-8';
      body = JSON.stringify(init.json);
    }
    const url = path.startsWith('http') ? path : `${this.base}${path}`;
    const response = await fetch(url, { method, headers, body: body ?? null });
    const text = await response.text();
    let parsed: unknown = text;
    if (/json/i.test(response.headers.get('content-type') ?? '') && text !== '') parsed = JSON.parse(text);
    return { status: response.status, headers: response.headers, text, body: parsed as T };
  }

  createIngest(body: Record<string, unknown>): Promise<Answer<JobInfo>> {
    return this.send<JobInfo>('POST', '/ingest', { json: body });
  }

  upload(id: string, csv: string, headers: Record<string, string> = {}): Promise<Answer> {
    return this.send('PUT', `/ingest/${id}/batches`, {
      body: csv,
      headers: { 'content-type': 'text/csv', ...headers },
    });
  }

  setState(kind: 'ingest' | 'query', id: string, state: string): Promise<Answer<JobInfo>> {
    return this.send<JobInfo>('PATCH', `/${kind}/${id}`, { json: { state } });
  }

  info(kind: 'ingest' | 'query', id: string): Promise<Answer<JobInfo>> {
    return this.send<JobInfo>('GET', `/${kind}/${id}`);
  }

  /** Polls the job until its state is one of `states` (a few seconds at most). */
  async waitFor(kind: 'ingest' | 'query', id: string, states: readonly string[]): Promise<JobInfo> {
    for (let i = 0; i < 2000; i++) {
      const info = await this.info(kind, id);
      if (info.status !== 200) throw new Error(`job ${id}: ${info.status} ${info.text}`);
      if (states.includes(info.body.state)) return info.body;
      await sleep(5);
    }
    throw new Error(`job ${id} never reached ${states.join(' or ')}`);
  }

  async results(
    id: string,
    kind: 'successfulResults' | 'failedResults' | 'unprocessedrecords',
  ): Promise<string> {
    const answer = await this.send('GET', `/ingest/${id}/${kind}`);
    if (answer.status !== 200) throw new Error(`${kind}: ${answer.status} ${answer.text}`);
    return answer.text;
  }

  /** Creates, uploads, closes and waits for an ingest job; returns its final info. */
  async ingest(body: Record<string, unknown>, csv: string): Promise<JobInfo> {
    const created = await this.createIngest(body);
    if (created.status !== 200) throw new Error(`create: ${created.status} ${created.text}`);
    const uploaded = await this.upload(created.body.id, csv);
    if (uploaded.status !== 201) throw new Error(`upload: ${uploaded.status} ${uploaded.text}`);
    await this.setState('ingest', created.body.id, 'UploadComplete');
    return this.waitFor('ingest', created.body.id, ['JobComplete', 'Failed', 'Aborted']);
  }

  /** Creates a query job and waits until it is complete. */
  async query(soql: string, extra: Record<string, unknown> = {}): Promise<JobInfo> {
    const created = await this.send<JobInfo>('POST', '/query', {
      json: { operation: 'query', query: soql, ...extra },
    });
    if (created.status !== 200) throw new Error(`create query: ${created.status} ${created.text}`);
    return this.waitFor('query', created.body.id, ['JobComplete', 'Failed', 'Aborted']);
  }
}

export async function startBulkClient(options: EmulatorOptions = {}): Promise<BulkClient> {
  return new BulkClient(await startEmulator(options));
}

/** Parses result CSV the simple way (tests only): fully quoted values, one record per line unless quoted. */
export function readCsv(text: string, delimiter = ','): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === delimiter) {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
