// The server process of the bulk-query scenario (`node bulk-server.mjs <rows>`): the emulator with
// <rows> rows of Row__c, in its own process so its CPU and memory are not the clients'. Sends its
// Target over Node's IPC channel once listening; stops when the channel closes.
import { startEmulator } from '@forcekit/emulator';
import type { ServerReady } from '../child/protocol.js';

function send(message: object): Promise<void> {
  return new Promise((resolve) => {
    if (process.send === undefined) {
      process.stdout.write(`${JSON.stringify(message)}\n`);
      resolve();
    } else process.send(message, () => resolve());
  });
}

async function server(rows: number): Promise<void> {
  const emulator = await startEmulator({
    limits: { dailyApiRequests: 1_000_000_000 },
    bulk: { queueDelayMs: 1 },
  });
  emulator.org.defineObject({ name: 'Row__c', fields: [{ name: 'Code__c', type: 'string', length: 20 }] });
  emulator.org.generate('Row__c', rows, {
    Name: (i: number) => `Row ${i}`,
    Code__c: (i: number) => `C-${i.toString(36)}`,
  });
  const { instanceUrl, accessToken, apiVersion } = emulator.credentials;
  const ready: ServerReady = { type: 'ready', target: { instanceUrl, accessToken, apiVersion } };
  await send(ready);
  process.on('disconnect', () => {
    void emulator.stop().finally(() => process.exit(0));
  });
}

const rows = Number(process.argv[2]);
if (!Number.isSafeInteger(rows) || rows < 1) throw new Error('usage: bulk-server.mjs <rows>');
await server(rows);
