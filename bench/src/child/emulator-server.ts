// The emulator in its own process, for the end-to-end scenarios: a real org over HTTP whose CPU is
// not the client's. Reports its admin's session over IPC; `{ type: 'reset' }` empties the org's
// records between runs so every run writes into the same state.
import { startEmulator } from '@forcekit/emulator';
import type { ResetDone, ResetRequest, ServerReady } from './protocol.js';

const emulator = await startEmulator({
  // Benchmarks send far more than a Developer Edition org's 15,000 requests a day.
  limits: { dailyApiRequests: 1_000_000_000 },
  onUnexpectedError: (error, request) => {
    console.error(`emulator: ${request.method} ${request.path}:`, error);
  },
});
const { instanceUrl, accessToken, apiVersion } = emulator.credentials;
const ready: ServerReady = { type: 'ready', target: { instanceUrl, accessToken, apiVersion } };
process.send?.(ready);

process.on('message', (message) => {
  if ((message as ResetRequest).type !== 'reset') return;
  emulator.org.reset();
  const done: ResetDone = { type: 'reset-done' };
  process.send?.(done);
});
process.on('disconnect', () => {
  void emulator.stop().finally(() => process.exit(0));
});
