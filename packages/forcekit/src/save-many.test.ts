import type { LoadRowResult } from '@forcekit/bulk';
import { ConfigurationError } from '@forcekit/core';
import { describe, expect, test } from 'vitest';
import { BULK_UNPROCESSED, checkBulkThreshold, toSaveResult, toUpsertResult } from './save-many.js';

const base = { index: 0, jobId: '750000000000001AAA', record: undefined };

describe('bulk row outcomes as sObject Collections results', () => {
  test('a success keeps its id; an upsert success says whether it created', () => {
    const row: LoadRowResult<unknown> = {
      ...base,
      status: 'success',
      id: '001000000000001AAA',
      created: true,
      fields: {},
    };
    expect(toSaveResult(row, undefined)).toEqual({ id: '001000000000001AAA', success: true, errors: [] });
    expect(toUpsertResult(row, undefined)).toEqual({
      id: '001000000000001AAA',
      success: true,
      errors: [],
      created: true,
    });
  });

  test("a failure carries sf__Error's code, message and fields as statusCode, message, fields", () => {
    const row: LoadRowResult<unknown> = {
      ...base,
      status: 'failure',
      id: undefined,
      error: {
        code: 'REQUIRED_FIELD_MISSING',
        message: 'Required fields are missing: [Name]',
        fields: ['Name'],
        text: 'REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --',
      },
      fields: {},
    };
    expect(toSaveResult(row, undefined)).toEqual({
      id: undefined,
      success: false,
      errors: [
        {
          statusCode: 'REQUIRED_FIELD_MISSING',
          message: 'Required fields are missing: [Name]',
          fields: ['Name'],
        },
      ],
    });
    // An update's failure names the input's Id when the result file has none.
    expect(toSaveResult(row, '001000000000002AAA').id).toBe('001000000000002AAA');
    expect(toUpsertResult(row, undefined).created).toBe(false);
  });

  test('an unprocessed row is a failure with BULK_UNPROCESSED, the job and the reason', () => {
    const row: LoadRowResult<unknown> = {
      ...base,
      status: 'unprocessed',
      reason: 'the job was aborted',
      fields: undefined,
    };
    const result = toSaveResult(row, '001000000000003AAA');
    expect(result).toEqual({
      id: '001000000000003AAA',
      success: false,
      errors: [
        {
          statusCode: BULK_UNPROCESSED,
          message:
            'Not processed by Bulk API job 750000000000001AAA: the job was aborted. The record was not saved; send it again.',
          fields: [],
        },
      ],
    });
    expect(toSaveResult({ ...row, reason: undefined }, undefined).errors[0]?.message).toMatch(
      /job 750000000000001AAA: the job ended before reaching it\./,
    );
  });
});

describe('checkBulkThreshold', () => {
  test('takes whole numbers from 0 and Infinity; anything else names the field', () => {
    expect(checkBulkThreshold(0, 'bulkThreshold')).toBe(0);
    expect(checkBulkThreshold(5_000, 'bulkThreshold')).toBe(5_000);
    expect(checkBulkThreshold(Number.POSITIVE_INFINITY, 'bulkThreshold')).toBe(Number.POSITIVE_INFINITY);
    for (const bad of [-1, 1.5, Number.NaN, '2000', null]) {
      expect(() => checkBulkThreshold(bad, 'bulkThreshold')).toThrow(ConfigurationError);
      expect(() => checkBulkThreshold(bad, 'bulkThreshold')).toThrow(/bulkThreshold: must be a whole number/);
    }
  });
});
