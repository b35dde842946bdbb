import { PollTimeoutError } from '../errors.js';
import { delayWithin, type PollOptions, pause, pollPolicy } from '../poll.js';
import { isTerminal, type JobInfo } from './job-info.js';

/** A job that can report its state. */
export interface Pollable {
  readonly id: string;
  /** The job's current info from the server. */
  refresh(signal?: AbortSignal): Promise<JobInfo>;
  /** Where the poll goes, for errors. */
  readonly path: string;
}

/**
 * Polls every job until all are terminal (JobComplete, Failed, Aborted), with growing delays, and
 * returns their final infos in the given order. `onRound` sees every job's latest info after each
 * round (for progress). Throws `PollTimeoutError` past `pollTimeout`, core's `AbortError` when `signal`
 * fires.
 */
export async function waitForJobs(
  jobs: readonly Pollable[],
  options: PollOptions,
  onRound?: (infos: readonly JobInfo[]) => void,
): Promise<JobInfo[]> {
  const policy = pollPolicy(options);
  const { signal } = options;
  const latest: (JobInfo | undefined)[] = jobs.map(() => undefined);
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    for (let i = 0; i < jobs.length; i++) {
      const known = latest[i];
      if (known !== undefined && isTerminal(known.state)) continue;
      latest[i] = await (jobs[i] as Pollable).refresh(signal);
    }
    const infos = latest as JobInfo[];
    onRound?.(infos);
    const running = infos.findIndex((info) => !isTerminal(info.state));
    if (running === -1) return infos;
    const delay = delayWithin(policy, attempt, started, Date.now());
    const job = jobs[running] as Pollable;
    if (delay === undefined)
      throw new PollTimeoutError({
        jobId: job.id,
        timeout: policy.timeout,
        state: (infos[running] as JobInfo).state,
      });
    await pause(delay, signal, { method: 'GET', path: job.path });
  }
}
