import { describe, expect, it } from 'vitest';
import type { OrgData } from '../schema/types.js';
import { executeSoql } from './execute.js';
import { TEST_OPTIONS, TestOrgData } from './test-support.js';

/**
 * Evaluation happens once and pages only slice: shown on 50,000 rows by counting scans of the store
 * (never by timing; `measure.ts` has the figures for a million rows).
 */
const ROWS = 50_000;
const PAGE = 2000;
const ctx = { childLocator: () => '' };

function bigOrg(): { org: TestOrgData; revenue: Map<string, number> } {
  const org = new TestOrgData();
  const revenue = new Map<string, number>();
  for (let i = 0; i < ROWS; i++) {
    // 7919 is prime, so names come in an order unrelated to insertion.
    const name = `Account ${String((i * 7919) % ROWS).padStart(5, '0')}`;
    revenue.set(name, i % 2000);
    org.insert('Account', {
      Name: i % 2 === 0 ? name : name.toUpperCase(),
      AnnualRevenue: i % 2000,
      Industry: i % 3 === 0 ? null : 'Energy',
    });
  }
  return { org, revenue };
}

function counting(org: OrgData): { data: OrgData; scans: () => number } {
  let scans = 0;
  return {
    scans: () => scans,
    data: {
      userId: org.userId,
      object: (name) => org.object(name),
      objects: () => org.objects(),
      byId: (id) => org.byId(id),
      records: (name) => {
        scans++;
        return org.records(name);
      },
    },
  };
}

describe('a 50,000-row result', () => {
  const { org, revenue } = bigOrg();

  it('is evaluated once; every page slices the same ordered result', () => {
    const { data, scans } = counting(org);
    const result = executeSoql(
      'SELECT Id, Name, Industry FROM Account WHERE AnnualRevenue > 1000 ORDER BY Name',
      data,
      TEST_OPTIONS,
    );
    expect(scans()).toBe(1);
    expect(result.totalSize).toBe(24_975);

    const names: string[] = [];
    for (let start = 0; start < result.size; start += PAGE) {
      const page = result.page(start, start + PAGE, ctx);
      expect(page.length).toBe(Math.min(PAGE, result.size - start));
      for (const record of page) names.push(String(record.Name));
    }
    expect(scans()).toBe(1);
    expect(names).toHaveLength(24_975);
    const outOfOrder = names.findIndex(
      (name, i) => i > 0 && (names[i - 1] ?? '').toLowerCase() > name.toLowerCase(),
    );
    expect(outOfOrder).toBe(-1);
    expect(names.every((name) => (revenue.get(name.replace('ACCOUNT', 'Account')) ?? 0) > 1000)).toBe(true);

    const last = result.page(result.size - 5, result.size + 100, ctx);
    expect(last.map((record) => record.Name)).toEqual(names.slice(-5));
    expect(result.rows(result.size - 5, result.size).map((row) => row[1])).toEqual(names.slice(-5));
  });

  it('stops scanning at LIMIT when there is no ORDER BY', () => {
    const result = executeSoql(
      'SELECT Id FROM Account WHERE Industry = null LIMIT 10 OFFSET 5',
      org,
      TEST_OPTIONS,
    );
    expect(result.size).toBe(10);
    expect(result.rows(0, 1)[0]?.[0]).toBe(org.records('Account')[15]?.Id);
  });

  it('counts without rendering', () => {
    expect(
      executeSoql('SELECT COUNT() FROM Account WHERE Industry = null', org, TEST_OPTIONS).totalSize,
    ).toBe(16_667);
  });
});
