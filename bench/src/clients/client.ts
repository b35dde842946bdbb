import type { Target } from '../child/protocol.js';

/** A record as a query returns it; the benchmark reads `Id` and `AnnualRevenue` of each. */
export interface Row {
  readonly Id?: unknown;
  readonly AnnualRevenue?: unknown;
}

/** The operations every compared client implements, each the idiomatic way for that client. */
export interface BenchClient {
  /** Every record of `soql`, one at a time, without keeping them; resolves to how many. */
  queryStream(soql: string, onRecord: (record: Row) => void): Promise<number>;
  /** Every record of `soql`, following `nextRecordsUrl`, collected into one array. */
  queryCollect(soql: string): Promise<readonly Row[]>;
  create(type: string, record: Record<string, unknown>): Promise<string>;
  retrieve(type: string, id: string): Promise<Row>;
  update(type: string, id: string, fields: Record<string, unknown>): Promise<void>;
  /** Creates `records` through sObject Collections (200 a request); resolves to how many succeeded. */
  createMany(type: string, records: readonly Record<string, unknown>[]): Promise<number>;
  close(): Promise<void>;
}

export type ClientFactory = (target: Target, jsforceUrl: string | undefined) => Promise<BenchClient>;
