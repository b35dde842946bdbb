import { afterAll, beforeAll, expect, it } from 'vitest';
import { type RestClient, startRestClient } from './rest-client.js';
import { describeConformance, fixtureJson } from './support/fixtures.js';
import { shapeDiff } from './support/shapes.js';

/**
 * The data routes against responses recorded from real orgs (shared/fixtures): same status, the same
 * keys and the same value types (key order is not compared: Salesforce's own captures disagree on it,
 * e.g. `id, errors, success` for a create and `id, success, errors` inside composite).
 */

describeConformance('data routes conform to recorded Salesforce responses', () => {
  let client: RestClient;

  beforeAll(async () => {
    client = await startRestClient({ apiVersion: '66.0' });
    const org = client.emulator.org;
    org.defineField('Account', { name: 'MyExtId__c', type: 'string', length: 20, externalId: true });
    org.defineField('Account', { name: 'ExternalAcctId__c', type: 'string', length: 20, externalId: true });
    org.defineObject({
      name: 'AccountContactJunction__c',
      fields: [
        { name: 'Account__c', type: 'reference', referenceTo: 'Account' },
        { name: 'Contact__c', type: 'reference', referenceTo: 'Contact' },
      ],
    });
  });
  afterAll(() => client.emulator.stop());

  it('describe/account_describe.json: the Account describe has the same keys, fields and field facts', async () => {
    const fixture = fixtureJson<Record<string, unknown> & { fields: Record<string, unknown>[] }>(
      'describe/account_describe.json',
    );
    const res = await client.get<Record<string, unknown> & { fields: Record<string, unknown>[] }>(
      '/sobjects/Account/describe',
    );
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(Object.keys(fixture));
    const standard = fixture.fields.filter((f) => f.custom === false);
    const mine = res.body.fields.filter((f) => f.custom === false);
    expect(mine.map((f) => f.name)).toEqual(standard.map((f) => f.name));
    for (const [i, recorded] of standard.entries()) {
      const field = mine[i] as Record<string, unknown>;
      expect(Object.keys(field), String(recorded.name)).toEqual(Object.keys(recorded));
      const { inlineHelpText: _a, ...facts } = recorded;
      const { inlineHelpText: _b, ...ours } = field;
      expect(ours, String(recorded.name)).toEqual(facts);
    }
    for (const key of ['childRelationships', 'recordTypeInfos', 'supportedScopes', 'urls'] as const) {
      expect(shapeDiff(res.body[key], fixture[key]), key).toEqual([]);
    }
    expect(Object.keys(res.body.urls as object)).toEqual(Object.keys(fixture.urls as object));
  });

  it('rest/describe_global_v23_trimmed.json: global entries carry every recorded key, same types', async () => {
    const fixture = fixtureJson<{ sobjects: Record<string, unknown>[] }>(
      'rest/describe_global_v23_trimmed.json',
    );
    const res = await client.get<{ sobjects: Record<string, unknown>[] }>('/sobjects');
    const recorded = fixture.sobjects[0] as Record<string, unknown>;
    const account = res.body.sobjects.find((s) => s.name === 'Account') as Record<string, unknown>;
    for (const [key, value] of Object.entries(recorded)) {
      expect(account, key).toHaveProperty(key);
      if (key !== 'urls') expect(account[key], key).toEqual(value);
    }
    for (const key of Object.keys(recorded.urls as object)) expect(account.urls).toHaveProperty(key);
    expect(shapeDiff({ ...res.body, sobjects: [] }, { ...fixture, sobjects: [] })).toEqual([]);
  });

  it('rest/create_201.json: create answers 201 with the same keys and types', async () => {
    const res = await client.post('/sobjects/Account', { Name: 'Conformance' });
    expect(res.status).toBe(201);
    expect(shapeDiff(res.body, fixtureJson('rest/create_201.json'))).toEqual([]);
  });

  it('rest/upsert_created_201.json: an upsert that creates answers 201 with created:true', async () => {
    const res = await client.patch<{ created: boolean }>('/sobjects/Account/MyExtId__c/CONF-1', {
      Name: 'Upsert',
    });
    expect(res.status).toBe(201);
    expect(shapeDiff(res.body, fixtureJson('rest/upsert_created_201.json'))).toEqual([]);
    expect(res.body.created).toBe(true);
  });

  it('rest/platform_event_publish_response.json: publishing answers the recorded shape and dummy id', async () => {
    client.emulator.org.defineObject({
      name: 'Notification__e',
      fields: [{ name: 'Message__c', type: 'string' }],
    });
    const fixture = fixtureJson<{ id: string; errors: { statusCode: string }[] }>(
      'rest/platform_event_publish_response.json',
    );
    const res = await client.post<{ id: string; errors: { statusCode: string }[] }>(
      '/sobjects/Notification__e',
      {
        Message__c: 'hi',
      },
    );
    expect(res.status).toBe(201);
    expect(shapeDiff(res.body, fixture)).toEqual([]);
    expect(res.body.id).toBe(fixture.id);
    expect(res.body.errors[0]?.statusCode).toBe(fixture.errors[0]?.statusCode);
  });

  it('composite/collections_upsert_response.json: collection upsert results', async () => {
    await client.patch('/sobjects/Account/MyExtId__c/BBB', { Name: 'Existing' });
    const res = await client.patch('/composite/sobjects/Account/MyExtId__c', {
      allOrNone: false,
      records: [
        { attributes: { type: 'Account' }, Name: 'Company One', MyExtId__c: 'AAA' },
        { attributes: { type: 'Account' }, Name: 'Company Two', MyExtId__c: 'BBB' },
      ],
    });
    expect(res.status).toBe(200);
    const fixture = fixtureJson<unknown[]>('composite/collections_upsert_response.json');
    expect(shapeDiff(res.body, fixture)).toEqual([]);
    expect((res.body as { created: boolean }[]).map((r) => r.created)).toEqual([true, false]);
  });

  it('composite/collections_allornone_rolled_back.json: the rolled-back record and the failing one', async () => {
    const created = await client.post<{ id: string }[]>('/composite/sobjects', {
      records: [
        { attributes: { type: 'Account' }, Name: 'A' },
        { attributes: { type: 'Account' }, Name: 'B' },
      ],
    });
    const [a, b] = created.body.map((r) => r.id);
    const res = await client.patch<Record<string, unknown>[]>('/composite/sobjects', {
      allOrNone: true,
      records: [
        { attributes: { type: 'Account' }, Id: a, Name: 'A2' },
        { attributes: { type: 'Contact' }, Id: b, LastName: 'x' },
      ],
    });
    const fixture = fixtureJson<Record<string, unknown>[]>(
      'composite/collections_allornone_rolled_back.json',
    );
    expect(res.status).toBe(200);
    expect(shapeDiff(res.body[0], fixture[0])).toEqual([]);
    expect(shapeDiff(res.body[1], fixture[1])).toEqual([]);
    expect(res.body[0]?.errors).toEqual(fixture[0]?.errors);
    expect(res.body[1]?.errors).toEqual([
      { statusCode: 'MALFORMED_ID', message: `Contact ID: id value of incorrect type: ${b}`, fields: ['Id'] },
    ]);
  });

  it('composite/composite_upsert_and_create_response.json: upsert then a create that references it', async () => {
    const res = await client.post('/composite', {
      allOrNone: true,
      compositeRequest: [
        {
          method: 'PATCH',
          url: `${client.base}/sobjects/Account/ExternalAcctId__c/ID12345`,
          referenceId: 'NewAccount',
          body: { Name: 'Acme' },
        },
        {
          method: 'POST',
          url: `${client.base}/sobjects/Contact`,
          referenceId: 'newContact',
          body: { LastName: 'Harrison', AccountId: '@{NewAccount.id}' },
        },
      ],
    });
    expect(res.status).toBe(200);
    expect(shapeDiff(res.body, fixtureJson('composite/composite_upsert_and_create_response.json'))).toEqual(
      [],
    );
  });

  it('composite/composite_update_create_junction_response.json: 204 update, creates with Location', async () => {
    const { body } = await client.post<{ id: string }>('/sobjects/Account', { Name: 'Junction parent' });
    const res = await client.post<{ compositeResponse: Record<string, unknown>[] }>('/composite', {
      allOrNone: true,
      compositeRequest: [
        {
          method: 'PATCH',
          url: `${client.base}/sobjects/Account/${body.id}`,
          referenceId: 'UpdatedAccount',
          body: { Name: 'x' },
        },
        {
          method: 'POST',
          url: `${client.base}/sobjects/Contact`,
          referenceId: 'NewContact',
          body: { LastName: 'J' },
        },
        {
          method: 'POST',
          url: `${client.base}/sobjects/AccountContactJunction__c`,
          referenceId: 'JunctionRecord',
          body: { Account__c: body.id, Contact__c: '@{NewContact.id}' },
        },
      ],
    });
    const fixture = fixtureJson<{ compositeResponse: Record<string, unknown>[] }>(
      'composite/composite_update_create_junction_response.json',
    );
    expect(shapeDiff(res.body, fixture)).toEqual([]);
    res.body.compositeResponse.forEach((sub, i) => {
      expect(sub.httpStatusCode).toBe(fixture.compositeResponse[i]?.httpStatusCode);
      expect(Object.keys(sub.httpHeaders as object)).toEqual(
        Object.keys(fixture.compositeResponse[i]?.httpHeaders as object),
      );
    });
  });

  it('query/first_page_with_nextRecordsUrl.json: a first page with a -500 locator', async () => {
    client.emulator.org.generate('Contact', 600);
    const res = await client.get<{ nextRecordsUrl: string }>(
      `/query?q=${encodeURIComponent('SELECT Id, Name FROM Contact')}`,
      { 'Sforce-Query-Options': 'batchSize=500' },
    );
    const fixture = fixtureJson<{ nextRecordsUrl: string }>('query/first_page_with_nextRecordsUrl.json');
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(Object.keys(fixture));
    expect(shapeDiff(res.body, fixture)).toEqual([]);
    expect(res.body.nextRecordsUrl).toMatch(/^\/services\/data\/v66\.0\/query\/01g[A-Za-z0-9]{15}-500$/);
    expect(fixture.nextRecordsUrl).toMatch(/^\/services\/data\/v66\.0\/query\/01g[A-Za-z0-9]{15}-500$/);
  });

  it('query/parent_and_child_relationships.json: parents nest with attributes, children as a query result', async () => {
    const org = client.emulator.org;
    org.defineObject({
      name: 'Whizbang__c',
      fields: [
        { name: 'Text_Label__c', type: 'string' },
        {
          name: 'ParentWhizbang__c',
          type: 'reference',
          referenceTo: 'Whizbang__c',
          childRelationshipName: 'Whizbangs',
        },
      ],
    });
    const [parent] = org.insert('Whizbang__c', [{ Name: 'Parent Whizbang', Text_Label__c: 'Hello' }]);
    const [child] = org.insert('Whizbang__c', [{ Name: 'Middle', ParentWhizbang__c: parent?.Id }]);
    org.insert('Whizbang__c', [{ Name: 'Child Whizbang', ParentWhizbang__c: child?.Id }]);
    const soql = `SELECT Text_Label__c, ParentWhizbang__r.Name, ParentWhizbang__r.Text_Label__c, (SELECT Name FROM Whizbangs__r) FROM Whizbang__c WHERE Id = '${child?.Id}'`;
    const res = await client.get<{ records: Record<string, unknown>[] }>(
      `/query?q=${encodeURIComponent(soql)}`,
    );
    expect(res.status).toBe(200);
    const fixture = fixtureJson<{ records: Record<string, unknown>[] }>(
      'query/parent_and_child_relationships.json',
    );
    const recorded = fixture.records[0] as Record<string, unknown>;
    const record = res.body.records[0] as Record<string, unknown>;
    const recordedParent = recorded.ParentWhizbang__r as Record<string, unknown>;
    expect(
      shapeDiff((record.ParentWhizbang__r as { attributes: unknown }).attributes, recordedParent.attributes),
    ).toEqual([]);
    expect(Object.keys(record.ParentWhizbang__r as object).sort()).toEqual([
      'Name',
      'Text_Label__c',
      'attributes',
    ]);
    expect(shapeDiff(record.Whizbangs__r, recorded.Whizbangs__r)).toEqual([]);
    expect(shapeDiff({ ...res.body, records: [] }, { ...fixture, records: [] })).toEqual([]);
  });

  it('errors/invalid_field_400.json: an unknown field in a record body', async () => {
    client.emulator.org.defineObject({ name: 'Bar__c' });
    const res = await client.post('/sobjects/Bar__c', { foo: 1 });
    expect(res.status).toBe(400);
    const fixture = fixtureJson<{ message: string }[]>('errors/invalid_field_400.json');
    expect(shapeDiff(res.body, fixture)).toEqual([]);
    expect(res.body).toEqual([{ ...fixture[0], message: "No such column 'foo' on sobject of type Bar__c" }]);
  });

  it('errors/malformed_query_400.json: GET /query?q=invalid', async () => {
    const res = await client.get('/query?q=invalid');
    expect(res.status).toBe(400);
    expect(res.body).toEqual(fixtureJson('errors/malformed_query_400.json'));
  });

  it('errors/not_found_404.json: an id that does not exist', async () => {
    const res = await client.get('/sobjects/Account/001000000000000AAA');
    expect(res.status).toBe(404);
    expect(res.body).toEqual(fixtureJson('errors/not_found_404.json'));
  });

  it('errors/required_field_missing_collections_delete.json: a collections delete without ids', async () => {
    const res = await client.del('/composite/sobjects');
    expect(res.status).toBe(400);
    expect(res.body).toEqual(fixtureJson('errors/required_field_missing_collections_delete.json'));
  });
});
