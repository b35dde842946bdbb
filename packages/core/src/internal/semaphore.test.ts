import { describe, expect, it } from 'vitest';
import { Semaphore } from './semaphore.js';

describe('Semaphore', () => {
  it('hands out at most max slots and passes freed ones on in order', async () => {
    const semaphore = new Semaphore(2);
    expect(semaphore.tryAcquire()).toBe(true);
    expect(semaphore.tryAcquire()).toBe(true);
    expect(semaphore.tryAcquire()).toBe(false);
    const order: number[] = [];
    const first = semaphore.acquire().then(() => order.push(1));
    const second = semaphore.acquire().then(() => order.push(2));
    expect(semaphore.waiting).toBe(2);
    semaphore.release();
    semaphore.release();
    await Promise.all([first, second]);
    expect(order).toEqual([1, 2]);
    expect(semaphore.active).toBe(2);
    semaphore.release();
    semaphore.release();
    expect(semaphore.active).toBe(0);
  });

  it('drops a waiter whose signal aborts, rejecting with the reason', async () => {
    const semaphore = new Semaphore(1);
    semaphore.tryAcquire();
    const controller = new AbortController();
    const waiting = semaphore.acquire(controller.signal);
    controller.abort(new Error('gave up'));
    await expect(waiting).rejects.toThrow('gave up');
    expect(semaphore.waiting).toBe(0);
    semaphore.release();
    expect(semaphore.active).toBe(0);
  });
});
