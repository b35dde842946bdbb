import { ConfigurationError } from '@forcekit/core';
import { from } from '@forcekit/soql';
import { describe, expect, test } from 'vitest';
import { reference, referencedIds } from '../src/rest/references.js';
import { subrequest } from '../src/rest/subrequest.js';

describe('reference', () => {
  test('gives the @{ref.id} string Salesforce resolves', () => {
    expect(reference('NewAccount').id).toBe('@{NewAccount.id}');
  });

  test('gives paths into an earlier body', () => {
    const q = reference('accounts');
    expect(q.field('records[0].Id')).toBe('@{accounts.records[0].Id}');
    expect(q.field('totalSize')).toBe('@{accounts.totalSize}');
  });

  test('rejects a referenceId Salesforce would refuse', () => {
    expect(() => reference('1st')).toThrow(ConfigurationError);
    expect(() => reference('my-ref')).toThrow(/referenceId: must start with a letter/);
  });

  test('rejects a path that would break out of the reference', () => {
    expect(() => reference('a').field('x}/../y')).toThrow(/path: must be a JSON path/);
  });

  test('finds the referenceIds a text refers to', () => {
    expect(referencedIds('{"AccountId":"@{acct.id}","x":"@{q.records[0].Id}"}')).toEqual(['acct', 'q']);
  });
});

describe('subrequest builders', () => {
  test('create posts to the sObject resource', () => {
    expect(subrequest.create('Account', { Name: 'Acme' })).toEqual({
      method: 'POST',
      url: 'sobjects/Account',
      body: { Name: 'Acme' },
    });
  });

  test('escapes ids and external-id values as one path segment each', () => {
    expect(subrequest.upsert('Account', 'Ext__c', 'A/B ?x', { Name: 'n' }).url).toBe(
      'sobjects/Account/Ext__c/A%2FB%20%3Fx',
    );
    expect(subrequest.delete('Account', '..').url).toBe('sobjects/Account/%2E%2E');
  });

  test('keeps a whole reference unescaped so the server can resolve it', () => {
    const acct = reference('acct');
    expect(subrequest.update('Account', acct.id, { Name: 'n' }).url).toBe('sobjects/Account/@{acct.id}');
    expect(subrequest.retrieve('Contact', acct.field('records[0].Id'), ['Id', 'Name']).url).toBe(
      'sobjects/Contact/@{acct.records[0].Id}?fields=Id%2CName',
    );
  });

  test('query takes SOQL text or a builder', () => {
    expect(subrequest.query('SELECT Id FROM Account').url).toBe('query?q=SELECT+Id+FROM+Account');
    expect(subrequest.queryAll(from('Account').select(['Id']).limit(1)).url).toBe(
      'queryAll?q=SELECT+Id+FROM+Account+LIMIT+1',
    );
  });

  test('rejects a field list that is not field names', () => {
    expect(() => subrequest.retrieve('Account', '001', ['Id&x=1'])).toThrow(
      /fields: must be an array of field names/,
    );
  });
});
