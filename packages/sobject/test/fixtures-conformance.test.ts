/**
 * Responses recorded from real orgs or printed in Salesforce's docs (../shared/fixtures, see SOURCES.md),
 * served byte for byte over HTTP, must come out of the SDK as the right records and results. The folder
 * lives beside the repository, not in it: without it this one file is skipped, saying why.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { text } from 'node:stream/consumers';
import { createClient, type SalesforceClient } from '@forcekit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordedFixtures } from '../../../test-support/fixtures.js';
import {
  DescribeCache,
  isTracked,
  query,
  queryMore,
  recordIdOf,
  SObject,
  sobjectTypeOf,
} from '../src/index.js';

const fixtures = recordedFixtures(import.meta.url);

describe.skipIf(!fixtures.present)('recorded Salesforce responses', () => {
  /** Path (without query string) -> the fixture file answered with 200. */
  const answers = new Map<string, string>();
  let server: Server;
  let client: SalesforceClient;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const name = answers.get(`${req.method} ${(req.url ?? '').split('?')[0]}`);
      if (name === undefined) {
        res
          .writeHead(404, { 'content-type': 'application/json' })
          .end('[{"errorCode":"NOT_FOUND","message":"no fixture"}]');
        return;
      }
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json;charset=UTF-8' }).end(fixtures.bytes(name));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    client = createClient({
      instanceUrl: `http://127.0.0.1:${port}`,
      accessToken: '00Dfixture!token',
      maxRetries: 0,
    });
  });

  afterAll(async () => {
    await client?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('reads a first page with nextRecordsUrl (docs example)', async () => {
    answers.set('GET /services/data/v62.0/query', 'query/first_page_with_nextRecordsUrl.json');
    const page = await query(client, 'SELECT Id, Name FROM Contact').execute();
    expect(page.totalSize).toBe(3222);
    expect(page.done).toBe(false);
    expect(page.nextRecordsUrl).toBe('/services/data/v66.0/query/01gRO0000016PIAYA2-500');
    const [record] = page.records;
    expect(isTracked(record)).toBe(true);
    expect(sobjectTypeOf(record as object)).toBe('Contact');
    expect(recordIdOf(record as object)).toBe('003RO0000035WQgYAM');
    expect(JSON.parse(JSON.stringify(record))).toEqual({ Id: '003RO0000035WQgYAM', Name: 'John Smith' });
  });

  it('reads parent records and child subquery results (real capture); the CSV flattens the parent', async () => {
    answers.set('GET /services/data/v20.0/query/01gX', 'query/parent_and_child_relationships.json');
    const page = await queryMore(client, '/services/data/v20.0/query/01gX');
    const [record] = page.records as Record<string, unknown>[];
    // The capture's parent url was edited to end in 'foo', which is no record Id.
    expect(recordIdOf(record as object)).toBeUndefined();
    expect(sobjectTypeOf(record as object)).toBe('Whizbang');
    const children = record?.Whizbangs__r as { done: boolean; records: object[] };
    expect(recordIdOf(children.records[0] as object)).toBe('a00E0000004D5lsIAC');
    expect(children.done).toBe(true);
    expect(isTracked(children.records[0])).toBe(true);
    expect(sobjectTypeOf(children.records[0] as object)).toBe('Whizbang__c');
    expect(JSON.parse(JSON.stringify(record)).ParentWhizbang__r).toEqual({
      Name: 'Parent Whizbang',
      Text_Label: 'Hello',
    });

    answers.set('GET /services/data/v62.0/query', 'query/parent_and_child_relationships.json');
    const csv = await text(
      query(
        client,
        'SELECT Text_Label, Picklist_Multiselect_Label, ParentWhizbang__r.Name, (SELECT Name FROM Whizbangs__r) FROM Whizbang',
      ).toCSV(),
    );
    expect(csv).toBe(
      'Text_Label,Picklist_Multiselect_Label,ParentWhizbang__r.Name\r\nHi there!,four;six,Parent Whizbang\r\n',
    );
  });

  it('maps allOrNone collection results, statusCode errors included (docs example)', async () => {
    answers.set(
      'PATCH /services/data/v62.0/composite/sobjects',
      'composite/collections_allornone_rolled_back.json',
    );
    const results = await new SObject(client, 'Contact').update(
      [
        { Id: '001xx0000004GxDAAU', LastName: 'a' },
        { Id: '001xx0000004GxEAAU', LastName: 'b' },
      ],
      { allOrNone: true },
    );
    expect(results).toEqual([
      {
        id: '001xx0000004GxDAAU',
        success: false,
        errors: [
          {
            statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
            message:
              'Record rolled back because not all records were valid and the request was using AllOrNone header',
            fields: [],
          },
        ],
      },
      {
        // The result carries no id; the input's fills in.
        id: '001xx0000004GxEAAU',
        success: false,
        errors: [
          {
            statusCode: 'MALFORMED_ID',
            message: 'Contact ID: id value of incorrect type: 001xx0000004GxEAAU',
            fields: ['Id'],
          },
        ],
      },
    ]);
  });

  it('maps collection upsert results with created (docs example)', async () => {
    answers.set(
      'PATCH /services/data/v62.0/composite/sobjects/Account/MyExtId__c',
      'composite/collections_upsert_response.json',
    );
    const results = await new SObject(client, 'Account').upsert(
      [
        { MyExtId__c: 'AAA', Name: 'Company One' },
        { MyExtId__c: 'BBB', Name: 'Company Two' },
      ],
      'MyExtId__c',
    );
    expect(results.map((r) => [r.id, r.success, r.created])).toEqual([
      ['001xx0000004GxDAAU', true, true],
      ['001xx0000004GxEAAU', true, false],
    ]);
  });

  it('reads a full Account describe (real capture, v53.0)', async () => {
    answers.set('GET /services/data/v62.0/sobjects/Account/describe', 'describe/account_describe.json');
    const describe = await new SObject(client, 'Account', { describeCache: new DescribeCache() }).describe();
    expect(describe.name).toBe('Account');
    expect(describe.keyPrefix).toBe('001');
    const name = describe.fields.find((field) => field.name === 'Name');
    expect(name).toMatchObject({ type: 'string', createable: true, nillable: false });
    expect(describe.childRelationships.some((rel) => rel.relationshipName === 'Contacts')).toBe(true);
  });

  it('creates from the docs create example', async () => {
    answers.set('POST /services/data/v62.0/sobjects/Account', 'rest/create_201.json');
    const result = await new SObject(client, 'Account').create({ Name: 'Express Logistics and Transport' });
    expect(result).toEqual({
      id: fixtures.json<{ id: string }>('rest/create_201.json').id,
      success: true,
      errors: [],
    });
  });
});
