// The seam `@forcekit/sobject` builds on: a builder bound to a QueryExecutor hands it compiled queries
// and returns what it answers; an unbound builder refuses to run. The executor here is a small
// in-memory implementation of the interface that records what it was asked.
import { EventEmitter } from 'node:events';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  type CompiledQuery,
  from,
  type QueryEditOptions,
  type QueryEditResult,
  type QueryEvents,
  type QueryExecutor,
  type QueryExplanation,
  type QueryRecordChange,
  type QueryResult,
  type QueryRunOptions,
  SoqlBuildError,
} from '../src/index.js';
import type { Account } from './schema.js';

interface Call {
  method: 'execute' | 'iterate' | 'count' | 'stream' | 'csv' | 'events' | 'explain' | 'update' | 'destroy';
  soql: string;
  options: QueryRunOptions | QueryEditOptions;
}

/** The event-style run: emits each record, then `end`, once `run()` is called. */
class MemoryRun implements QueryEvents<unknown> {
  readonly #emitter = new EventEmitter();
  readonly #records: readonly unknown[];
  readonly runs: (QueryRunOptions | undefined)[] = [];
  constructor(records: readonly unknown[]) {
    this.#records = records;
  }
  on(event: string, listener: (...args: never[]) => void): this {
    this.#emitter.on(event, listener as (...args: unknown[]) => void);
    return this;
  }
  run(options?: QueryRunOptions): this {
    this.runs.push(options);
    queueMicrotask(() => {
      this.#records.forEach((record, index) => {
        this.#emitter.emit('record', record, index);
      });
      this.#emitter.emit('end', { totalSize: this.#records.length, totalFetched: this.#records.length });
    });
    return this;
  }
}

class MemoryExecutor implements QueryExecutor {
  readonly calls: Call[] = [];
  readonly changes: unknown[] = [];
  constructor(private readonly records: unknown[]) {}

  async execute(query: CompiledQuery, options: QueryRunOptions): Promise<QueryResult<unknown>> {
    this.calls.push({ method: 'execute', soql: query.soql, options });
    const records = this.records.slice(0, query.node.limit ?? this.records.length);
    return { records, totalSize: this.records.length, done: records.length === this.records.length };
  }

  csv(query: CompiledQuery, options: QueryRunOptions): Readable {
    this.calls.push({ method: 'csv', soql: query.soql, options });
    return Readable.from(['Id\r\n', ...this.records.map((r) => `${(r as { Id: string }).Id}\r\n`)]);
  }

  events(query: CompiledQuery): QueryEvents<unknown> {
    this.calls.push({ method: 'events', soql: query.soql, options: {} });
    return new MemoryRun(this.records);
  }

  async explain(query: CompiledQuery, options: QueryRunOptions): Promise<QueryExplanation> {
    this.calls.push({ method: 'explain', soql: query.soql, options });
    return { plans: [], sourceQuery: query.soql };
  }

  async update(
    query: CompiledQuery,
    change: QueryRecordChange<unknown, Record<string, unknown>>,
    options: QueryEditOptions,
  ): Promise<QueryEditResult[]> {
    this.calls.push({ method: 'update', soql: query.soql, options });
    this.changes.push(change);
    return this.records.map((r) => ({ id: (r as { Id: string }).Id, success: true, errors: [] }));
  }

  async destroy(query: CompiledQuery, options: QueryEditOptions): Promise<QueryEditResult[]> {
    this.calls.push({ method: 'destroy', soql: query.soql, options });
    return this.records.map((r) => ({ id: (r as { Id: string }).Id, success: true, errors: [] }));
  }

  async *iterate(query: CompiledQuery, options: QueryRunOptions): AsyncIterable<unknown> {
    this.calls.push({ method: 'iterate', soql: query.soql, options });
    yield* this.records;
  }

  async count(query: CompiledQuery, options: QueryRunOptions): Promise<number> {
    this.calls.push({ method: 'count', soql: query.soql, options });
    return this.records.length;
  }

  stream(query: CompiledQuery, options: QueryRunOptions): Readable {
    this.calls.push({ method: 'stream', soql: query.soql, options });
    return Readable.from(this.records);
  }
}

const rows = [
  { Id: '001A', Name: 'Acme' },
  { Id: '001B', Name: 'Globex' },
];

describe('a builder bound to an executor', () => {
  it('execute() passes the compiled query and the options, and resolves with what the executor answers', async () => {
    const executor = new MemoryExecutor(rows);
    const signal = new AbortController().signal;
    const result = await from<Account>('Account', executor)
      .find({ Name: { $like: 'A%' } }, ['Id', 'Name'])
      .execute({ signal });
    expect(result).toEqual({ records: rows, totalSize: 2, done: true });
    expect(executor.calls).toEqual([
      { method: 'execute', soql: "SELECT Id, Name FROM Account WHERE Name LIKE 'A%'", options: { signal } },
    ]);
  });

  it('keeps the executor through every chained and branched builder', async () => {
    const executor = new MemoryExecutor(rows);
    const base = from('Account', executor).select('Name');
    await base.limit(5).execute();
    await base.sort('-Name').where({ Name: 'x' }).include('Contacts').execute();
    expect(executor.calls.map((call) => call.soql)).toEqual([
      'SELECT Name FROM Account LIMIT 5',
      "SELECT Name, (SELECT Id FROM Contacts) FROM Account WHERE Name = 'x' ORDER BY Name DESC",
    ]);
  });

  it('first() runs the query with LIMIT 1 and resolves with the row, or undefined', async () => {
    const executor = new MemoryExecutor(rows);
    expect(await from('Account', executor).sort('Name').limit(50).first()).toEqual(rows[0]);
    expect(executor.calls[0]?.soql).toBe('SELECT Id FROM Account ORDER BY Name ASC LIMIT 1');
    expect(await from('Account', new MemoryExecutor([])).first()).toBeUndefined();
  });

  it('count() runs SELECT COUNT() with the same FROM, scope, WHERE and WITH, and nothing else', async () => {
    const executor = new MemoryExecutor(rows);
    const query = from('Account', executor)
      .select('Name')
      .include('Contacts')
      .scope('mine')
      .where({ Name: 'x' })
      .withUserMode()
      .sort('Name')
      .limit(10)
      .offset(5);
    expect(await query.count({})).toBe(2);
    expect(executor.calls).toEqual([
      {
        method: 'count',
        soql: "SELECT COUNT() FROM Account USING SCOPE mine WHERE Name = 'x' WITH USER_MODE",
        options: {},
      },
    ]);
  });

  it('count() rejects a grouped query', async () => {
    const query = from('Opportunity', new MemoryExecutor(rows)).select('StageName').groupBy('StageName');
    await expect(query.count()).rejects.toThrow(/not available on a grouped query/);
  });

  it('for await iterates through the executor', async () => {
    const executor = new MemoryExecutor(rows);
    const seen: unknown[] = [];
    for await (const row of from('Account', executor).select('Name')) seen.push(row);
    expect(seen).toEqual(rows);
    expect(executor.calls).toEqual([{ method: 'iterate', soql: 'SELECT Name FROM Account', options: {} }]);
  });

  it('stream() returns the executor stream', async () => {
    const executor = new MemoryExecutor(rows);
    const stream = from('Account', executor).stream();
    expect(await stream.toArray()).toEqual(rows);
    expect(executor.calls[0]).toMatchObject({ method: 'stream', soql: 'SELECT Id FROM Account' });
  });

  it('toCSV() returns the executor CSV stream', async () => {
    const executor = new MemoryExecutor(rows);
    const csv = (await from('Account', executor).select('Id').toCSV().toArray()).join('');
    expect(csv).toBe('Id\r\n001A\r\n001B\r\n');
    expect(executor.calls[0]).toMatchObject({ method: 'csv', soql: 'SELECT Id FROM Account' });
  });

  it('on() and run() hand back the executor run in event style', async () => {
    const executor = new MemoryExecutor(rows);
    const seen: unknown[] = [];
    await new Promise((resolve) => {
      from('Account', executor)
        .select('Name')
        .on('record', (record, index) => seen.push([index, record]))
        .on('end', resolve)
        .run({});
    });
    expect(seen).toEqual([
      [0, rows[0]],
      [1, rows[1]],
    ]);
    const summary = await new Promise((resolve) => from('Account', executor).run().on('end', resolve));
    expect(summary).toEqual({ totalSize: 2, totalFetched: 2 });
    expect(executor.calls.map((call) => call.method)).toEqual(['events', 'events']);
  });

  it('explain(), update() and destroy() delegate with the compiled query', async () => {
    const executor = new MemoryExecutor(rows);
    const query = from<Account>('Account', executor).where({ Industry: 'Energy' });
    await expect(query.explain()).resolves.toEqual({
      plans: [],
      sourceQuery: "SELECT Id FROM Account WHERE Industry = 'Energy'",
    });
    const rename = (row: { Id: string }) => ({ Name: row.Id });
    await expect(query.update(rename)).resolves.toHaveLength(2);
    await expect(query.update({ Industry: 'Banking' })).resolves.toHaveLength(2);
    await expect(query.destroy()).resolves.toEqual([
      { id: '001A', success: true, errors: [] },
      { id: '001B', success: true, errors: [] },
    ]);
    expect(executor.calls.map((call) => call.method)).toEqual(['explain', 'update', 'update', 'destroy']);
    expect(executor.changes).toEqual([rename, { Industry: 'Banking' }]);
  });

  it('update() rejects a change that is neither fields nor a function', async () => {
    const executor = new MemoryExecutor(rows);
    await expect(from('Account', executor).update(null as never)).rejects.toThrow(
      /object of field values or a function/,
    );
    expect(executor.calls).toEqual([]);
  });

  it('reports a query that cannot compile as a rejection, before calling the executor', async () => {
    const executor = new MemoryExecutor(rows);
    const query = from('Account', executor).where({ Amount: Number.NaN });
    await expect(query.execute()).rejects.toThrow(/numbers must be finite/);
    expect(executor.calls).toEqual([]);
  });
});

describe('an unbound builder', () => {
  const query = from('Account').where({ Name: 'x' });

  it.each(['execute', 'first', 'count', 'explain', 'destroy'] as const)(
    'rejects %s() with NOT_EXECUTABLE, pointing at toSOQL()',
    async (method) => {
      const error = await query[method]().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(SoqlBuildError);
      expect((error as SoqlBuildError).code).toBe('NOT_EXECUTABLE');
      expect((error as SoqlBuildError).message).toContain('use toSOQL()');
    },
  );

  it('throws from stream(), toCSV(), run(), on() and for await', async () => {
    expect(() => query.stream()).toThrow(/stream\(\) needs a builder bound to a QueryExecutor/);
    expect(() => query.toCSV()).toThrow(/toCSV\(\) needs a builder bound to a QueryExecutor/);
    expect(() => query.run()).toThrow(/run\(\) needs a builder bound to a QueryExecutor/);
    expect(() => query.on('end', () => undefined)).toThrow(/on\(\) needs a builder bound to a QueryExecutor/);
    const iterate = async () => {
      for await (const _ of query) return;
    };
    await expect(iterate()).rejects.toThrow(/for await\(\) needs a builder bound to a QueryExecutor/);
  });

  it('still compiles', () => {
    expect(query.toSOQL()).toBe("SELECT Id FROM Account WHERE Name = 'x'");
  });
});
