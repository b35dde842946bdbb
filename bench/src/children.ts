// Child processes of the runner: servers (fixture server, emulator) that live for one scenario, and
// client workers that live for one measured run.
import { type ChildProcess, spawn } from 'node:child_process';
import type { Job, JobFailure, JobRequest, JobResult, ServerReady, Target } from './child/protocol.js';
import type { ClientRuntime } from './runtimes.js';

/** The runner's environment minus NODE_OPTIONS, so no loader or flag of the runner leaks into a child. */
function childEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  return env;
}

function start(node: string, args: readonly string[]): ChildProcess {
  return spawn(node, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env: childEnv() });
}

/** Resolves with the child's first message, or rejects when it exits or errs before sending one. */
function firstMessage<T>(child: ChildProcess, what: string, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${what} sent nothing within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    const settle = (action: () => void) => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      child.off('error', onError);
      action();
    };
    const onMessage = (message: unknown) => settle(() => resolve(message as T));
    const onExit = (code: number | null, signal: string | null) =>
      settle(() => reject(new Error(`${what} exited (${signal ?? `code ${code}`}) before answering`)));
    const onError = (error: Error) => settle(() => reject(error));
    child.on('message', onMessage);
    child.once('exit', onExit);
    child.once('error', onError);
  });
}

export interface ServerProcess {
  readonly target: Target;
  /** Sends `message` and resolves with the server's answer. */
  ask<T>(message: object): Promise<T>;
  stop(): Promise<void>;
}

/** Starts a server entry (`node entry ...args`) and waits for its `ready` message. */
export async function startServer(
  entry: string,
  args: readonly string[] = [],
  name = 'server',
): Promise<ServerProcess> {
  const child = start(process.execPath, [entry, ...args]);
  const ready = await firstMessage<ServerReady>(child, name, 120_000);
  return {
    target: ready.target,
    ask: <T>(message: object) => {
      const answer = firstMessage<T>(child, name, 120_000);
      child.send(message);
      return answer;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) {
          resolve();
          return;
        }
        child.once('exit', () => resolve());
        // Closing the IPC channel asks the server to stop; a kill follows if it does not.
        child.disconnect();
        setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
      }),
  };
}

export interface WorkerOptions {
  /** Write a V8 CPU profile of the worker into this folder (`--cpu-prof`). */
  readonly cpuProfileDir?: string | undefined;
  /** Names the profile file: `<client>-<label>-<time>.cpuprofile`. Default: the job's task. */
  readonly label?: string | undefined;
  readonly timeoutMs?: number;
}

/** Runs one job for one client in a fresh worker process on that client's Node. */
export async function runWorker(
  entry: string,
  runtime: ClientRuntime,
  target: Target,
  job: Job,
  options: WorkerOptions = {},
): Promise<JobResult> {
  const flags =
    options.cpuProfileDir === undefined
      ? []
      : [
          '--cpu-prof',
          `--cpu-prof-dir=${options.cpuProfileDir}`,
          `--cpu-prof-name=${runtime.name}-${options.label ?? job.task}-${Date.now()}.cpuprofile`,
        ];
  const child = start(runtime.node, [...flags, entry]);
  const answer = firstMessage<JobResult | JobFailure>(
    child,
    `${runtime.name} worker`,
    options.timeoutMs ?? 300_000,
  );
  const request: JobRequest = {
    client: runtime.name,
    jsforceUrl: runtime.jsforceUrl,
    library: runtime.library,
    target,
    job,
  };
  child.send(request);
  const result = await answer;
  if (!result.ok) throw new Error(`${runtime.name} failed: ${result.error}`);
  return result;
}
