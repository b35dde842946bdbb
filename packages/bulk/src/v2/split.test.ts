import { ConfigurationError } from '@forcekit/core';
import { describe, expect, it } from 'vitest';
import { base64Size, DEFAULT_MAX_BYTES_PER_JOB, JobSplitter } from './split.js';

describe('JobSplitter', () => {
  it('fills a job up to the byte limit, header included, and starts the next with the row that does not fit', () => {
    const splitter = new JobSplitter(100);
    splitter.startJob(10);
    expect(splitter.take(40, 0)).toBe(true);
    expect(splitter.take(50, 1)).toBe(true);
    expect(splitter.bytes).toBe(100);
    expect(splitter.take(1, 2)).toBe(false);
    splitter.startJob(10);
    expect(splitter.take(1, 2)).toBe(true);
    expect(splitter.rows).toBe(1);
  });

  it('also caps the rows of a job', () => {
    const splitter = new JobSplitter(1_000_000, 2);
    splitter.startJob(5);
    expect([splitter.take(1, 0), splitter.take(1, 1), splitter.take(1, 2)]).toEqual([true, true, false]);
  });

  it('refuses a row too big for any job, naming it', () => {
    const splitter = new JobSplitter(100);
    splitter.startJob(10);
    expect(() => splitter.take(91, 7)).toThrow(ConfigurationError);
    expect(() => splitter.take(91, 7)).toThrow(/rows\[7\]: is 91 bytes/);
  });

  it("keeps the default job within Salesforce's 150 MB base64 upload limit", () => {
    expect(base64Size(DEFAULT_MAX_BYTES_PER_JOB)).toBeLessThanOrEqual(150 * 1024 * 1024);
    expect(base64Size(3)).toBe(4);
    expect(base64Size(4)).toBe(8);
  });
});
