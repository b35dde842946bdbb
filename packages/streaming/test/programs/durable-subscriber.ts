// A subscriber process for the crash test: it streams one channel into a file, one payload per line,
// keeping its replay position in a FileReplayStore. The test kills it with SIGKILL mid-stream and starts
// it again. Environment: INSTANCE_URL, ACCESS_TOKEN, CHANNEL, STORE_PATH, OUT_PATH, LAST_PAYLOAD (it
// exits after writing that payload).
import { appendFileSync } from 'node:fs';
import { createClient } from '@forcekit/core';
import { createStreaming, FileReplayStore, type GenericEvent } from '../../src/index.js';

function env(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} is not set`);
  return value;
}

const client = createClient({ instanceUrl: env('INSTANCE_URL'), accessToken: env('ACCESS_TOKEN') });
const streaming = createStreaming(client, {
  replayStore: new FileReplayStore(env('STORE_PATH')),
  reconnect: { initialDelayMs: 20, maxDelayMs: 200 },
});
const subscription = streaming.subscribe<GenericEvent>(env('CHANNEL'), { replay: -2 });
await subscription.ready();
process.stdout.write('ready\n');

const out = env('OUT_PATH');
const last = env('LAST_PAYLOAD');
for await (const event of subscription) {
  // Synchronous, so a line on disk means the loop body finished with that event.
  appendFileSync(out, `${event.payload}\n`);
  if (event.payload === last) await subscription.unsubscribe();
}
await streaming.close();
await client.close();
process.stdout.write('done\n');
