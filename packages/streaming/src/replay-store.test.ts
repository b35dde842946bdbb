import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StreamingError } from './errors.js';
import { FileReplayStore } from './file-replay-store.js';
import { MemoryReplayStore } from './replay-store.js';

describe('MemoryReplayStore', () => {
  it('keeps one position per channel until deleted', () => {
    const store = new MemoryReplayStore();
    store.set('/topic/A', 5);
    store.set('/topic/A', 6);
    store.set('/u/B', 1);
    expect(store.get('/topic/A')).toBe(6);
    store.delete('/topic/A');
    expect(store.get('/topic/A')).toBeUndefined();
    expect([...store.entries()]).toEqual([['/u/B', 1]]);
  });
});

describe('FileReplayStore', () => {
  let directory: string;
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'forcekit-replay-'));
  });
  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('reads nothing from a file that does not exist yet', async () => {
    const store = new FileReplayStore(join(directory, 'replay.json'));
    expect(await store.get('/topic/A')).toBeUndefined();
  });

  it('writes positions a new store on the same file reads back', async () => {
    const path = join(directory, 'nested', 'replay.json');
    const store = new FileReplayStore(path);
    await store.set('/topic/A', 41);
    await store.set('/event/B__e', 7);
    await store.set('/topic/A', 42);
    const reopened = new FileReplayStore(path);
    expect(await reopened.get('/topic/A')).toBe(42);
    expect(await reopened.get('/event/B__e')).toBe(7);
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({
      version: 1,
      replayIds: { '/topic/A': 42, '/event/B__e': 7 },
    });
  });

  it('forgets a deleted channel on disk', async () => {
    const path = join(directory, 'replay.json');
    const store = new FileReplayStore(path);
    await store.set('/topic/A', 1);
    await store.delete('/topic/A');
    expect(await new FileReplayStore(path).get('/topic/A')).toBeUndefined();
  });

  it('keeps the last complete positions when a writer died mid-write, and clears its temp file', async () => {
    const path = join(directory, 'replay.json');
    await new FileReplayStore(path).set('/topic/A', 10);
    // What a process killed between writing its temp file and the rename leaves behind.
    await writeFile(join(directory, 'replay.json.99999.1.tmp'), '{"version":1,"replayIds":{"/topic/A":1');
    const store = new FileReplayStore(path);
    expect(await store.get('/topic/A')).toBe(10);
    expect(await readdir(directory)).toEqual(['replay.json']);
  });

  it('leaves no temp file behind after writes', async () => {
    const store = new FileReplayStore(join(directory, 'replay.json'));
    await Promise.all(Array.from({ length: 50 }, (_, i) => store.set(`/u/C${i % 5}`, i)));
    expect(await readdir(directory)).toEqual(['replay.json']);
  });

  it('resolves every concurrent set only once a write holding its value is on disk', async () => {
    const path = join(directory, 'replay.json');
    const store = new FileReplayStore(path);
    const writes = Array.from({ length: 200 }, (_, i) => {
      const channel = `/topic/T${i % 10}`;
      return store.set(channel, i).then(async () => {
        const onDisk = JSON.parse(await readFile(path, 'utf8')) as { replayIds: Record<string, number> };
        // The file may already hold a later id for the channel, never an earlier one.
        expect(onDisk.replayIds[channel]).toBeGreaterThanOrEqual(i);
      });
    });
    await Promise.all(writes);
    const final = await new FileReplayStore(path).entries();
    expect(final.get('/topic/T9')).toBe(199);
    expect(final.size).toBe(10);
  });

  it('writes with fsync when asked', async () => {
    const path = join(directory, 'replay.json');
    const store = new FileReplayStore(path, { fsync: true });
    await store.set('/topic/A', 3);
    expect(await new FileReplayStore(path).get('/topic/A')).toBe(3);
  });

  it('refuses a file that is not JSON instead of guessing positions', async () => {
    const path = join(directory, 'replay.json');
    await writeFile(path, 'not json');
    const error = await new FileReplayStore(path).get('/topic/A').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StreamingError);
    expect(error).toMatchObject({ code: 'REPLAY_STORE_FAILED' });
    expect((error as Error).message).toContain(path);
  });

  it('refuses JSON that is not a replay store file', async () => {
    const path = join(directory, 'replay.json');
    await writeFile(path, '{"replayIds":{"/topic/A":"ten"}}');
    await expect(new FileReplayStore(path).get('/topic/A')).rejects.toThrow(
      /not a forcekit replay store file/,
    );
  });

  it('reports a write it could not make', async () => {
    const blocker = join(directory, 'file');
    await writeFile(blocker, '');
    // A directory cannot be created below a regular file.
    const store = new FileReplayStore(join(blocker, 'replay.json'));
    await expect(store.set('/topic/A', 1)).rejects.toMatchObject({ code: 'REPLAY_STORE_FAILED' });
  });
});
