// A client worker: one process per measured run, so its peak RSS is its own. It receives one
// JobRequest over IPC, loads only the client under test, runs the job, replies with a JobResult (or a
// JobFailure) and exits.
import { performance } from 'node:perf_hooks';
import type { BenchClient, ClientFactory, Row } from '../clients/client.js';
import { benchAccount } from '../fixture/accounts.js';
import type { ClientName, Job, JobFailure, JobRequest, JobResult } from './protocol.js';

// Each client is its own module (its own chunk once bundled): a worker loads only the one it runs.
async function factoryOf(client: ClientName): Promise<ClientFactory> {
  switch (client) {
    case 'raw-undici':
      return (await import('../clients/raw-undici.js')).createRawUndici;
    case 'forcekit':
      return (await import('../clients/forcekit.js')).createForcekit;
    case 'forcekit-tracked':
      return (await import('../clients/forcekit.js')).createForcekitTracked;
    case 'jsforce-3.10.16':
    case 'jsforce-latest':
      return (await import('../clients/jsforce.js')).createJsforce;
  }
}

// What each record read feeds, so that no read can be optimised away.
let sink = 0;
function consume(record: Row): void {
  const id = record.Id;
  sink = (sink + (typeof id === 'string' ? id.length : 0) + (record.AnnualRevenue === null ? 0 : 1)) | 0;
}

function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

interface Timed {
  operations: number;
  wallMs: number;
  cpuMs: number;
}

async function timed(run: () => Promise<number>): Promise<Timed> {
  const cpuStart = cpuMs();
  const start = performance.now();
  const operations = await run();
  return { operations, wallMs: performance.now() - start, cpuMs: cpuMs() - cpuStart };
}

/** create, retrieve, update: three requests a loop, `concurrency` loops at once, until `until`. */
async function crudLoops(client: BenchClient, concurrency: number, until: number): Promise<number> {
  let requests = 0;
  let serial = 0;
  const lane = async () => {
    while (performance.now() < until) {
      const n = serial++;
      const id = await client.create('Account', benchAccount(n));
      consume(await client.retrieve('Account', id));
      await client.update('Account', id, { Name: `Bench Account ${n} (updated)`, Rating: 'Warm' });
      requests += 3;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return requests;
}

async function runJob(client: BenchClient, job: Job): Promise<Timed> {
  switch (job.task) {
    case 'query': {
      const result = await timed(async () => {
        if (job.mode === 'stream') return client.queryStream(job.soql, consume);
        const records = await client.queryCollect(job.soql);
        for (const record of records) consume(record);
        return records.length;
      });
      if (result.operations !== job.expected) {
        throw new Error(`read ${result.operations} records, expected ${job.expected}`);
      }
      return result;
    }
    case 'crud': {
      await crudLoops(client, job.concurrency, performance.now() + job.warmupMs);
      return timed(() => crudLoops(client, job.concurrency, performance.now() + job.durationMs));
    }
    case 'collections-create': {
      const records = Array.from({ length: job.count }, (_, i) => benchAccount(i));
      const result = await timed(() => client.createMany('Account', records));
      if (result.operations !== job.count) {
        throw new Error(`created ${result.operations} records, expected ${job.count}`);
      }
      return result;
    }
    case 'idle':
      return { operations: 0, wallMs: 0, cpuMs: 0 };
  }
}

function reply(message: JobResult | JobFailure): void {
  // Exit once the message is out: a keep-alive socket must not hold the process open.
  (process.send as NonNullable<typeof process.send>)(message, undefined, {}, () => process.exit(0));
}

process.once('message', (message) => {
  const request = message as JobRequest;
  void (async () => {
    try {
      const factory = await factoryOf(request.client);
      const client = await factory(request.target, request.jsforceUrl);
      const result = await runJob(client, request.job);
      const maxRssMb = process.resourceUsage().maxRSS / 1024;
      if (sink === Number.MIN_SAFE_INTEGER) console.log(sink);
      await client.close();
      reply({
        ok: true,
        ...result,
        maxRssMb,
        runtime: `node ${process.version}, ${request.library}`,
      });
    } catch (error) {
      reply({ ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
  })();
});
