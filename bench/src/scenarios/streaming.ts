// Streaming API throughput end to end: platform events published in the emulator (its in-process DML,
// in transactions of 500) and received through a subscription over real HTTP long polling, until the
// last one has been handed to the consumer. forcekit (`conn.streaming`, CometD) against jsforce
// 3.10.16's streaming client (Faye), each on its own channel so neither does the other's work.
import { performance } from 'node:perf_hooks';
import { type Emulator, startEmulator } from '@forcekit/emulator';
import { createConnection } from 'forcekit';
import { Connection } from 'jsforce';
import { median } from '../measure.js';
import type { ContenderResult, MeasureOptions, Scenario, ScenarioResult } from '../scenario.js';

const EVENTS_PER_SAMPLE: Record<MeasureOptions['mode'], number> = { smoke: 200, quick: 2_000, full: 5_000 };
const TRANSACTION_SIZE = 500;

/** One subscriber: counts what it has received on its own channel. */
interface Subscriber {
  readonly contender: string;
  readonly channel: string;
  received: number;
  /** Resolves when `received` reaches `count`. */
  until(count: number): Promise<void>;
  stop(): Promise<void>;
}

function counter(): Pick<Subscriber, 'received' | 'until'> & { hit(): void } {
  let waiting: { count: number; resolve: () => void } | undefined;
  const state = {
    received: 0,
    hit() {
      state.received++;
      if (waiting !== undefined && state.received >= waiting.count) {
        const { resolve } = waiting;
        waiting = undefined;
        resolve();
      }
    },
    until(count: number) {
      if (state.received >= count) return Promise.resolve();
      return new Promise<void>((resolve) => {
        waiting = { count, resolve };
      });
    },
  };
  return state;
}

async function forcekitSubscriber(emulator: Emulator, event: string): Promise<Subscriber> {
  const { instanceUrl, accessToken, apiVersion } = emulator.credentials;
  const conn = createConnection({ instanceUrl, accessToken, version: apiVersion });
  const channel = `/event/${event}`;
  const count = counter();
  const subscription = conn.streaming.subscribe(channel);
  subscription.on('data', () => count.hit());
  await subscription.ready();
  return {
    contender: 'forcekit',
    channel,
    get received() {
      return count.received;
    },
    until: count.until,
    async stop() {
      await conn.close();
    },
  };
}

async function jsforceSubscriber(emulator: Emulator, event: string): Promise<Subscriber> {
  const { instanceUrl, accessToken, apiVersion } = emulator.credentials;
  const conn = new Connection({ instanceUrl, accessToken, version: apiVersion });
  const channel = `/event/${event}`;
  const count = counter();
  const subscription = conn.streaming.topic(channel).subscribe(() => count.hit());
  // Faye's subscription settles once /meta/subscribe succeeded.
  await subscription;
  return {
    contender: 'jsforce-3.10.16',
    channel,
    get received() {
      return count.received;
    },
    until: count.until,
    async stop() {
      subscription.cancel();
      // jsforce keeps its Faye clients in a private map; disconnect them so no long poll stays open.
      const clients = (conn.streaming as unknown as { _fayeClients: Record<string, { disconnect(): void }> })
        ._fayeClients;
      for (const client of Object.values(clients)) client.disconnect();
      // Faye retries a disconnect that has not been answered forever; let it be answered before the
      // emulator stops, or the runner never exits.
      await new Promise((resolve) => setTimeout(resolve, 300));
    },
  };
}

/** Publishes `count` events and times until the subscriber has them all: events/s by wall clock and CPU. */
async function sample(
  emulator: Emulator,
  subscriber: Subscriber,
  count: number,
): Promise<{ wall: number; cpu: number }> {
  const target = subscriber.received + count;
  const event = subscriber.channel.slice('/event/'.length);
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  for (let published = 0; published < count; published += TRANSACTION_SIZE) {
    const size = Math.min(TRANSACTION_SIZE, count - published);
    emulator.org.data.transaction((dml) => {
      for (let n = 0; n < size; n++) dml.publish(event, { N__c: published + n });
    });
    // Let the long poll carry the transaction out while the next one is made.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  await subscriber.until(target);
  const wall = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  return { wall, cpu: (cpu.user + cpu.system) / 1000 };
}

export const streaming: Scenario = {
  name: 'streaming',
  description:
    'Platform events published in the emulator, delivered through a long-polling subscription: events/s',
  async run(options: MeasureOptions): Promise<ScenarioResult> {
    const count = EVENTS_PER_SAMPLE[options.mode];
    const emulator = await startEmulator({
      limits: { dailyApiRequests: 1_000_000_000 },
      streaming: { maxRetainedEvents: 1_000_000 },
    });
    const subscribers: Subscriber[] = [];
    const notes: string[] = [];
    try {
      const makers: [string, (emulator: Emulator, event: string) => Promise<Subscriber>][] = [
        ['Bench_Forcekit__e', forcekitSubscriber],
        ['Bench_Jsforce__e', jsforceSubscriber],
      ];
      for (const [event, make] of makers) {
        emulator.org.defineObject({ name: event, fields: [{ name: 'N__c', type: 'double' }] });
        try {
          subscribers.push(await make(emulator, event));
        } catch (error) {
          notes.push(`${event}: not run: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      for (const subscriber of subscribers) await sample(emulator, subscriber, count); // warm-up
      const samples = new Map(
        subscribers.map((subscriber) => [subscriber, [] as { wall: number; cpu: number }[]]),
      );
      for (let round = 0; round < Math.max(options.rounds, options.samples); round++) {
        for (let k = 0; k < subscribers.length; k++) {
          const subscriber = subscribers[(k + round) % subscribers.length] as Subscriber;
          samples.get(subscriber)?.push(await sample(emulator, subscriber, count));
        }
      }
      const contenders: ContenderResult[] = subscribers.map((subscriber) => {
        const taken = samples.get(subscriber) ?? [];
        const rates = taken.map((one) => (count / one.wall) * 1000);
        return {
          contender: subscriber.contender,
          opsPerSec: median(rates),
          samples: rates,
          opsPerCpuSecond: median(taken.map((one) => (count / Math.max(one.cpu, 0.001)) * 1000)),
        };
      });
      return {
        contenders,
        unit: 'events',
        notes: [
          `${count} platform events per sample, published in transactions of ${TRANSACTION_SIZE} through the emulator's in-process DML and timed until the subscriber's listener has the last one; one warm-up sample, then ${Math.max(options.rounds, options.samples)} rounds, the order rotating.`,
          'The emulator runs in the runner process: the CPU column counts its work (publishing, retaining, answering long polls) as well as the client\u2019s, the same for both contenders.',
          'forcekit: conn.streaming.subscribe() with an on(\u2019data\u2019) listener (CometD long polling, a memory replay store written per event); jsforce 3.10.16: conn.streaming.topic(channel).subscribe() (Faye long polling).',
          ...notes,
        ],
      };
    } finally {
      for (const subscriber of subscribers) await subscriber.stop().catch(() => undefined);
      await emulator.stop();
    }
  },
};
