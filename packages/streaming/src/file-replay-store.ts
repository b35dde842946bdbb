import { mkdir, open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { StreamingError } from './errors.js';
import type { ReplayStore } from './replay-store.js';

export interface FileReplayStoreOptions {
  /**
   * Flush every write to the disk (`fsync` of the file, then of its directory) before `set` resolves,
   * so positions survive a power loss or an OS crash, not only a crash of the process. Costs a disk
   * flush per delivered event. Default false: a killed process never loses a position either way.
   */
  readonly fsync?: boolean;
}

const fileSchema = z.object({
  version: z.literal(1),
  replayIds: z.record(z.string(), z.number().int()),
});

let tempCounter = 0;

/**
 * A replay store in one JSON file (`{"version":1,"replayIds":{"/topic/X":42}}`), for a process that must
 * resume after a restart. Every `set` rewrites the file atomically: the new content goes to a temp file
 * beside it, which is then renamed over the old one, so a crash at any moment leaves either the previous
 * or the new positions, never a torn file. Writes are serialised, and changes made while one is under
 * way share the next write. Temp files left by a crashed writer are removed when the store first loads.
 *
 * One process writes a given file (the positions of one consumer); the directory is created if needed.
 */
export class FileReplayStore implements ReplayStore {
  /** The absolute path of the JSON file. */
  readonly path: string;
  readonly #fsync: boolean;
  #ids: Map<string, number> | undefined;
  #loading: Promise<Map<string, number>> | undefined;
  /** The write that has not taken its snapshot yet: later changes ride on it. */
  #queued: Promise<void> | undefined;
  /** The last write scheduled: the next one starts after it. */
  #tail: Promise<void> = Promise.resolve();

  constructor(path: string, options: FileReplayStoreOptions = {}) {
    if (typeof path !== 'string' || path.length === 0) {
      throw new StreamingError('REPLAY_STORE_FAILED', 'FileReplayStore needs a file path');
    }
    this.path = resolve(path);
    this.#fsync = options.fsync === true;
  }

  async get(channel: string): Promise<number | undefined> {
    return (await this.#load()).get(channel);
  }

  async set(channel: string, replayId: number): Promise<void> {
    const ids = await this.#load();
    if (ids.get(channel) === replayId) return;
    ids.set(channel, replayId);
    await this.#persist();
  }

  async delete(channel: string): Promise<void> {
    const ids = await this.#load();
    if (!ids.delete(channel)) return;
    await this.#persist();
  }

  /** Every stored position, by channel. */
  async entries(): Promise<ReadonlyMap<string, number>> {
    return new Map(await this.#load());
  }

  #load(): Promise<Map<string, number>> {
    if (this.#ids !== undefined) return Promise.resolve(this.#ids);
    this.#loading ??= this.#read().then(
      (ids) => {
        this.#ids = ids;
        return ids;
      },
      (error: unknown) => {
        this.#loading = undefined;
        throw error;
      },
    );
    return this.#loading;
  }

  async #read(): Promise<Map<string, number>> {
    await this.#removeStaleTempFiles();
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
      throw new StreamingError('REPLAY_STORE_FAILED', `Cannot read the replay store ${this.path}`, {
        cause: error,
      });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new StreamingError(
        'REPLAY_STORE_FAILED',
        `The replay store ${this.path} is not JSON; refusing to guess positions (move it away to start over)`,
        { cause: error },
      );
    }
    const result = fileSchema.safeParse(parsed);
    if (!result.success) {
      throw new StreamingError(
        'REPLAY_STORE_FAILED',
        `The replay store ${this.path} is not a forcekit replay store file (expected {"version":1,"replayIds":{...}})`,
      );
    }
    return new Map(Object.entries(result.data.replayIds));
  }

  async #removeStaleTempFiles(): Promise<void> {
    const prefix = `${basename(this.path)}.`;
    let names: string[];
    try {
      names = await readdir(dirname(this.path));
    } catch {
      return;
    }
    await Promise.all(
      names
        .filter((name) => name.startsWith(prefix) && name.endsWith('.tmp'))
        .map((name) => unlink(join(dirname(this.path), name)).catch(() => undefined)),
    );
  }

  #persist(): Promise<void> {
    if (this.#queued !== undefined) return this.#queued;
    const write = this.#tail
      .catch(() => undefined)
      .then(() => {
        this.#queued = undefined;
        return this.#write(this.#snapshot());
      });
    this.#queued = write;
    this.#tail = write;
    return write;
  }

  #snapshot(): string {
    const replayIds: Record<string, number> = {};
    for (const [channel, id] of this.#ids ?? []) replayIds[channel] = id;
    return `${JSON.stringify({ version: 1, replayIds })}\n`;
  }

  async #write(content: string): Promise<void> {
    const directory = dirname(this.path);
    const temp = join(directory, `${basename(this.path)}.${process.pid}.${++tempCounter}.tmp`);
    try {
      await mkdir(directory, { recursive: true });
      const handle = await open(temp, 'w');
      try {
        await handle.writeFile(content, 'utf8');
        if (this.#fsync) await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, this.path);
      if (this.#fsync) await syncDirectory(directory);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw new StreamingError('REPLAY_STORE_FAILED', `Cannot write the replay store ${this.path}`, {
        cause: error,
      });
    }
  }
}

/** Makes a rename durable: the directory entry is flushed too (a no-op where directories cannot be opened). */
async function syncDirectory(directory: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(directory, 'r');
    await handle.sync();
  } catch {
    // Windows cannot open a directory for fsync; the rename is still atomic there.
  } finally {
    await handle?.close();
  }
}
