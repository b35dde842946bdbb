// The seam `@forcekit/sobject` builds on: a builder bound to a QueryExecutor hands it compiled queries
// and returns what it answers; an unbound builder refuses to run. The executor here is a small
// in-memory implementation of the interface that records what it was asked.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  type CompiledQuery,
  from,
  type QueryExecutor,
  type QueryRunOptions,
  SoqlBuildError,
} from '../src/index.js';
import type { Account } from './schema.js';

interface Call {
  method: 'execute' | 'iterate' | 'count' | 'stream';
  soql: string;
  options: QueryRunOptions;
}

class MemoryExecutor implements QueryExecutor {
  readonly calls: Call[] = [];
  constructor(private readonly records: unknown[]) {}

  async execute(query: CompiledQuery, options: QueryRunOptions): Promise<unknown[]> {
    this.calls.push({ method: 'execute', soql: query.soql, options });
    return this.records.slice(0, query.node.limit ?? this.records.length);
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
  it('execute() passes the compiled query and the options, and resolves with the records', async () => {
    const executor = new MemoryExecutor(rows);
    const signal = new AbortController().signal;
    const records = await from<Account>('Account', executor)
      .find({ Name: { $like: 'A%' } }, ['Id', 'Name'])
      .execute({ signal });
    expect(records).toEqual(rows);
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

  it('reports a query that cannot compile as a rejection, before calling the executor', async () => {
    const executor = new MemoryExecutor(rows);
    const query = from('Account', executor).where({ Amount: Number.NaN });
    await expect(query.execute()).rejects.toThrow(/numbers must be finite/);
    expect(executor.calls).toEqual([]);
  });
});

describe('an unbound builder', () => {
  const query = from('Account').where({ Name: 'x' });

  it.each(['execute', 'first', 'count'] as const)(
    'rejects %s() with NOT_EXECUTABLE, pointing at toSOQL()',
    async (method) => {
      const error = await query[method]().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(SoqlBuildError);
      expect((error as SoqlBuildError).code).toBe('NOT_EXECUTABLE');
      expect((error as SoqlBuildError).message).toContain('use toSOQL()');
    },
  );

  it('throws from stream() and from for await', async () => {
    expect(() => query.stream()).toThrow(/stream\(\) needs a builder bound to a QueryExecutor/);
    const iterate = async () => {
      for await (const _ of query) return;
    };
    await expect(iterate()).rejects.toThrow(/for await\(\) needs a builder bound to a QueryExecutor/);
  });

  it('still compiles', () => {
    expect(query.toSOQL()).toBe("SELECT Id FROM Account WHERE Name = 'x'");
  });
});
