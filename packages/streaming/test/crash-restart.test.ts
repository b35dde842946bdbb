import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileReplayStore } from '../src/index.js';
import { sleep, useOrg, waitUntil } from './support.js';

// A subscriber process killed with SIGKILL in the middle of a stream and started again with the same
// file replay store resumes right after the last event it finished with: nothing is missed, and the
// only event that can come twice is the one it was handling at the instant of the kill (it had not
// been recorded yet). The child is a real process running the public API through tsx.

const org = useOrg();
const CHANNEL = '/u/Durable';
const TOTAL = 400;
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const PROGRAM = fileURLToPath(new URL('./programs/durable-subscriber.ts', import.meta.url));

let directory: string;
const children: ChildProcess[] = [];
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'forcekit-crash-'));
});
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  await rm(directory, { recursive: true, force: true });
});

interface Subscriber {
  readonly child: ChildProcess;
  readonly ready: Promise<void>;
  readonly exited: Promise<number | null>;
  stderr(): string;
}

function startSubscriber(outPath: string, storePath: string): Subscriber {
  const child = spawn(process.execPath, ['--conditions=@forcekit/source', '--import', 'tsx', PROGRAM], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      INSTANCE_URL: org.emulator.url,
      ACCESS_TOKEN: org.emulator.org.createSession(),
      CHANNEL,
      STORE_PATH: storePath,
      OUT_PATH: outPath,
      LAST_PAYLOAD: String(TOTAL - 1),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('ready\n')) resolve();
    });
    void exited.then((code) =>
      reject(new Error(`the subscriber exited (${code}) before it was ready: ${stderr}`)),
    );
  });
  return { child, ready, exited, stderr: () => stderr };
}

function lines(path: string): string[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line !== '');
}

describe('a subscriber process killed mid-stream', () => {
  it('resumes after a restart with the file replay store: nothing missed, nothing repeated but the event in hand', async () => {
    org.emulator.org.streaming.defineChannel(CHANNEL);
    const storePath = join(directory, 'replay.json');
    const firstOut = join(directory, 'first.txt');
    const secondOut = join(directory, 'second.txt');

    const first = startSubscriber(firstOut, storePath);
    await first.ready;
    // Publish in small batches, so the kill lands while events are flowing.
    let published = 0;
    const publishing = (async () => {
      while (published < TOTAL) {
        for (const stop = Math.min(TOTAL, published + 10); published < stop; published++) {
          org.emulator.org.streaming.publishGeneric(CHANNEL, String(published));
        }
        await sleep(10);
      }
    })();
    await waitUntil(() => lines(firstOut).length >= 100, 20_000, 'the first subscriber to get 100 events');
    first.child.kill('SIGKILL');
    expect(await first.exited).toBeNull();
    const handled = lines(firstOut);
    expect(handled.length).toBeLessThan(TOTAL); // killed mid-stream: more events were still to come
    const replayIdOfPayload = new Map(
      org.emulator.org.streaming
        .retained(CHANNEL)
        .map((event) => [String(event.data.payload), event.replayId]),
    );
    const recorded = await new FileReplayStore(storePath).get(CHANNEL);
    expect(recorded).toEqual(expect.any(Number));
    // What the first run wrote is a prefix of the stream, in order.
    expect(handled).toEqual(Array.from({ length: handled.length }, (_, i) => String(i)));
    // The store holds the last event or the one before it: the kill may have come between the
    // loop body writing its line and the store recording it.
    const recordedIndex = handled.findIndex((payload) => replayIdOfPayload.get(payload) === recorded);
    expect(recordedIndex).toBeGreaterThanOrEqual(handled.length - 2);

    const second = startSubscriber(secondOut, storePath);
    await publishing;
    expect(await second.exited).toBe(0);
    const resumed = lines(secondOut);
    // The second run starts right after the recorded event and runs to the end, in order...
    expect(resumed).toEqual(
      Array.from({ length: TOTAL - recordedIndex - 1 }, (_, i) => String(recordedIndex + 1 + i)),
    );
    // ...so, cut at what was recorded, the two runs together saw every event exactly once.
    expect([...handled.slice(0, recordedIndex + 1), ...resumed]).toEqual(
      Array.from({ length: TOTAL }, (_, i) => String(i)),
    );
    const lastEvent = org.emulator.org.streaming.retained(CHANNEL).at(-1);
    expect(lastEvent?.data.payload).toBe(String(TOTAL - 1));
    expect(await new FileReplayStore(storePath).get(CHANNEL)).toBe(lastEvent?.replayId);
    expect(second.stderr()).toBe('');
  });
});
