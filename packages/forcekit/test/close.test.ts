import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { useOrg } from './org.js';

// Salesforce's long-poll hold (110 s): a connect left open by close() would keep the child alive.
const org = useOrg({ streaming: { holdMs: 110_000 } });

const PROGRAM = fileURLToPath(new URL('./programs/close-and-exit.ts', import.meta.url));
const EXIT_WITHIN_MS = 20_000;

test('after close() nothing is left open: a process that streamed and ran bulk jobs exits by itself', async () => {
  const { url, credentials } = org.emulator;
  const child = spawn(
    process.execPath,
    ['--import', import.meta.resolve('tsx'), '--conditions=@forcekit/source', PROGRAM],
    {
      env: { ...process.env, FORCEKIT_TEST_URL: url, FORCEKIT_TEST_TOKEN: credentials.accessToken },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString('utf8');
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, EXIT_WITHIN_MS);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearTimeout(timer);

  expect(err).toBe('');
  expect(out.trim().split('\n')).toEqual([
    'window at start: undefined',
    // Making the Streaming object loads nothing: cometd-nodejs-client's adapt() waits for a subscription.
    'window after conn.streaming and conn.bulk: undefined',
    'window after subscribe: object',
    'event: Exit Co',
    'bulk: saved 2, queried 3',
    'closed; subscription closed: true',
  ]);
  expect(timedOut, `the process was still running ${EXIT_WITHIN_MS} ms after close()`).toBe(false);
  expect(code).toBe(0);
}, 40_000);
