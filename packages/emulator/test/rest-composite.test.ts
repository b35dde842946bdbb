import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RestClient, startRestClient } from './rest-client.js';

let client: RestClient;

type Sub = {
  body: unknown;
  httpHeaders: Record<string, string>;
  httpStatusCode: number;
  referenceId: string | null;
};
type Composite = { compositeResponse: Sub[] };

beforeAll(async () => {
  client = await startRestClient();
  client.emulator.org.defineField('Account', {
    name: 'ExternalAcctId__c',
    type: 'string',
    length: 20,
    externalId: true,
  });
});
afterAll(() => client.emulator.stop());

describe('composite', () => {
  it('chains subrequests with @{ref.id} and answers like the recorded response', async () => {
    const res = await client.post<Composite>('/composite', {
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
        {
          method: 'GET',
          url: `${client.base}/sobjects/Contact/@{newContact.id}?fields=AccountId`,
          referenceId: 'readBack',
        },
      ],
    });
    expect(res.status).toBe(200);
    const [account, contact, read] = res.body.compositeResponse as [Sub, Sub, Sub];
    const accountBody = account.body as { id: string };
    expect(account).toEqual({
      body: { id: accountBody.id, success: true, errors: [], created: true },
      httpHeaders: { Location: `${client.base}/sobjects/Account/${accountBody.id}` },
      httpStatusCode: 201,
      referenceId: 'NewAccount',
    });
    expect(contact).toMatchObject({ httpStatusCode: 201, referenceId: 'newContact' });
    expect(read.body).toMatchObject({ AccountId: accountBody.id });
  });

  it('reports 204 subrequests with body null and empty httpHeaders', async () => {
    const { body } = await client.post<{ id: string }>('/sobjects/Account', { Name: 'To update' });
    const res = await client.post<Composite>('/composite', {
      compositeRequest: [
        {
          method: 'PATCH',
          url: `${client.base}/sobjects/Account/${body.id}`,
          referenceId: 'UpdatedAccount',
          body: { Name: 'Updated' },
        },
      ],
    });
    expect(res.body.compositeResponse[0]).toEqual({
      body: null,
      httpHeaders: {},
      httpStatusCode: 204,
      referenceId: 'UpdatedAccount',
    });
  });

  it('resolves @{ref.records[0].Id} from a query subrequest', async () => {
    await client.post('/sobjects/Account', { Name: 'Queried One' });
    const res = await client.post<Composite>('/composite', {
      compositeRequest: [
        {
          method: 'GET',
          url: `${client.base}/query?q=${encodeURIComponent("SELECT Id FROM Account WHERE Name = 'Queried One'")}`,
          referenceId: 'found',
        },
        {
          method: 'POST',
          url: `${client.base}/sobjects/Contact`,
          referenceId: 'c',
          body: { LastName: 'L', AccountId: '@{found.records[0].Id}' },
        },
      ],
    });
    expect(res.body.compositeResponse[1]?.httpStatusCode).toBe(201);
  });

  it('allOrNone rolls back everything: the failure keeps its error, the others PROCESSING_HALTED', async () => {
    const before = client.emulator.org.records('Account').length;
    const res = await client.post<Composite>('/composite', {
      allOrNone: true,
      compositeRequest: [
        {
          method: 'POST',
          url: `${client.base}/sobjects/Account`,
          referenceId: 'ok',
          body: { Name: 'Will roll back' },
        },
        {
          method: 'POST',
          url: `${client.base}/sobjects/Contact`,
          referenceId: 'bad',
          body: { LastName: 'x', Email: 'Not a real email address' },
        },
        {
          method: 'POST',
          url: `${client.base}/sobjects/Account`,
          referenceId: 'after',
          body: { Name: 'Never runs' },
        },
      ],
    });
    const [ok, bad, after] = res.body.compositeResponse as [Sub, Sub, Sub];
    expect(bad).toEqual({
      body: [
        {
          message: 'Email: invalid email address: Not a real email address',
          errorCode: 'INVALID_EMAIL_ADDRESS',
          fields: ['Email'],
        },
      ],
      httpHeaders: {},
      httpStatusCode: 400,
      referenceId: 'bad',
    });
    const halted = {
      body: [
        {
          errorCode: 'PROCESSING_HALTED',
          message: 'The transaction was rolled back since another operation in the same transaction failed.',
        },
      ],
      httpHeaders: {},
      httpStatusCode: 400,
    };
    expect(ok).toEqual({ ...halted, referenceId: 'ok' });
    expect(after).toEqual({ ...halted, referenceId: 'after' });
    expect(client.emulator.org.records('Account')).toHaveLength(before);
  });

  it('without allOrNone keeps successes and halts subrequests that reference a failure', async () => {
    const res = await client.post<Composite>('/composite', {
      allOrNone: false,
      compositeRequest: [
        { method: 'POST', url: `${client.base}/sobjects/Account`, referenceId: 'bad', body: {} },
        {
          method: 'POST',
          url: `${client.base}/sobjects/Contact`,
          referenceId: 'dependent',
          body: { LastName: 'x', AccountId: '@{bad.id}' },
        },
        {
          method: 'POST',
          url: `${client.base}/sobjects/Account`,
          referenceId: 'independent',
          body: { Name: 'Kept' },
        },
      ],
    });
    const [bad, dependent, independent] = res.body.compositeResponse as [Sub, Sub, Sub];
    expect(bad.httpStatusCode).toBe(400);
    expect(dependent.httpStatusCode).toBe(400);
    expect((dependent.body as { errorCode: string }[])[0]?.errorCode).toBe('PROCESSING_HALTED');
    expect(independent.httpStatusCode).toBe(201);
  });

  it('refuses more than 25 subrequests', async () => {
    const compositeRequest = Array.from({ length: 26 }, (_, i) => ({
      method: 'GET',
      url: `${client.base}/sobjects/Account/describe`,
      referenceId: `r${i}`,
    }));
    const res = await client.post<Composite>('/composite', { compositeRequest });
    expect(res.body.compositeResponse).toEqual([
      {
        body: [
          { errorCode: 'LIMIT_EXCEEDED', message: 'The request can’t contain more than 25 operations.' },
        ],
        httpHeaders: {},
        httpStatusCode: 400,
        referenceId: null,
      },
    ]);
  });

  it('allows five query or sObject Collections subrequests and refuses a sixth, running none of them', async () => {
    const five = [
      { method: 'GET', url: `${client.base}/query?q=SELECT+Id+FROM+Account`, referenceId: 'q1' },
      { method: 'GET', url: `${client.base}/queryAll/?q=SELECT+Id+FROM+Account`, referenceId: 'q2' },
      { method: 'GET', url: `${client.base}/QUERY?q=SELECT+Id+FROM+Contact`, referenceId: 'q3' },
      {
        method: 'POST',
        url: `${client.base}/composite/sobjects`,
        referenceId: 'c1',
        body: { allOrNone: false, records: [{ attributes: { type: 'Account' }, Name: 'Via collections' }] },
      },
      {
        method: 'GET',
        url: `${client.base}/composite/sobjects/Account?ids=001000000000000AAA&fields=Id`,
        referenceId: 'c2',
      },
      // Neither a query nor a collection: not counted.
      { method: 'POST', url: `${client.base}/sobjects/Account`, referenceId: 'a1', body: { Name: 'Single' } },
      { method: 'GET', url: `${client.base}/sobjects/Account/describe`, referenceId: 'd1' },
    ];
    const allowed = await client.post<Composite>('/composite', { compositeRequest: five });
    expect(allowed.body.compositeResponse.map((sub) => sub.httpStatusCode)).toEqual([
      200, 200, 200, 200, 200, 201, 200,
    ]);

    const sixth = {
      method: 'DELETE',
      url: `${client.base}/composite/sobjects?ids=001000000000000AAA`,
      referenceId: 'c3',
    };
    const refused = await client.post<Composite>('/composite', { compositeRequest: [...five, sixth] });
    expect(refused.status).toBe(200);
    expect(refused.body.compositeResponse).toEqual([
      {
        body: [
          {
            errorCode: 'LIMIT_EXCEEDED',
            message: 'The request can’t contain more than 5 query or sObject Collections operations.',
          },
        ],
        httpHeaders: {},
        httpStatusCode: 400,
        referenceId: null,
      },
    ]);
    // The refused request wrote nothing: each record exists once, from the allowed request.
    const names = client.emulator.org.records('Account').map((a) => a.Name);
    expect(names.filter((name) => name === 'Single')).toHaveLength(1);
    expect(names.filter((name) => name === 'Via collections')).toHaveLength(1);
  });

  it('rejects duplicate referenceIds and urls outside /services/data', async () => {
    const dup = await client.post<{ errorCode: string }[]>('/composite', {
      compositeRequest: [
        { method: 'GET', url: `${client.base}/sobjects`, referenceId: 'a' },
        { method: 'GET', url: `${client.base}/sobjects`, referenceId: 'a' },
      ],
    });
    expect(dup.status).toBe(400);
    const outside = await client.post<{ errorCode: string }[]>('/composite', {
      compositeRequest: [{ method: 'GET', url: '/services/apexrest/x', referenceId: 'a' }],
    });
    expect(outside.status).toBe(400);
  });
});

describe('composite batch', () => {
  it('runs independent subrequests with richInput and reports hasErrors', async () => {
    const { body } = await client.post<{ id: string }>('/sobjects/Account', {
      Name: 'Batch me',
      BillingPostalCode: '94105',
    });
    const res = await client.post<{ hasErrors: boolean; results: { statusCode: number; result: unknown }[] }>(
      '/composite/batch',
      {
        batchRequests: [
          {
            method: 'PATCH',
            url: `v${client.version}/sobjects/Account/${body.id}`,
            richInput: { Name: 'NewName' },
          },
          {
            method: 'GET',
            url: `v${client.version}/sobjects/Account/${body.id}?fields=Name,BillingPostalCode`,
          },
        ],
      },
    );
    expect(res.body.hasErrors).toBe(false);
    expect(res.body.results[0]).toEqual({ statusCode: 204, result: null });
    expect(res.body.results[1]).toEqual({
      statusCode: 200,
      result: {
        attributes: { type: 'Account', url: `${client.base}/sobjects/Account/${body.id}` },
        Name: 'NewName',
        BillingPostalCode: '94105',
        Id: body.id,
      },
    });
  });

  it('haltOnError answers the rest with 412 BATCH_PROCESSING_HALTED', async () => {
    const res = await client.post<{ hasErrors: boolean; results: { statusCode: number; result: unknown }[] }>(
      '/composite/batch',
      {
        haltOnError: true,
        batchRequests: [
          { method: 'GET', url: `v${client.version}/sobjects/Account/001000000000000AAA` },
          { method: 'GET', url: `v${client.version}/sobjects` },
        ],
      },
    );
    expect(res.body.hasErrors).toBe(true);
    expect(res.body.results[0]?.statusCode).toBe(404);
    expect(res.body.results[1]).toEqual({
      statusCode: 412,
      result: [{ errorCode: 'BATCH_PROCESSING_HALTED', message: 'Batch processing halted per request' }],
    });
  });
});

describe('composite tree', () => {
  it('creates nested records and lists roots first, then children', async () => {
    const res = await client.post<{ hasErrors: boolean; results: { referenceId: string; id: string }[] }>(
      '/composite/tree/Account',
      {
        records: [
          {
            attributes: { type: 'Account', referenceId: 'ref1' },
            name: 'SampleAccount1',
            phone: '1234567890',
            Contacts: {
              records: [
                {
                  attributes: { type: 'Contact', referenceId: 'ref2' },
                  lastname: 'Smith',
                  email: 'smith@example.com',
                },
                { attributes: { type: 'Contact', referenceId: 'ref3' }, lastname: 'Evans' },
              ],
            },
          },
          { attributes: { type: 'Account', referenceId: 'ref4' }, name: 'SampleAccount2' },
        ],
      },
    );
    expect(res.status).toBe(201);
    expect(res.body.hasErrors).toBe(false);
    expect(res.body.results.map((r) => r.referenceId)).toEqual(['ref1', 'ref4', 'ref2', 'ref3']);
    const accountId = res.body.results[0]?.id;
    const smith = client.emulator.org
      .records('Contact')
      .find((c) => c.LastName === 'Smith' && c.AccountId === accountId);
    expect(smith).toBeDefined();
  });

  it('commits nothing when one record fails, and reports it with statusCode', async () => {
    const before = client.emulator.org.records('Account').length;
    const res = await client.post<{ hasErrors: boolean; results: unknown[] }>('/composite/tree/Account', {
      records: [
        {
          attributes: { type: 'Account', referenceId: 'ref1' },
          Name: 'Tree fails',
          Contacts: {
            records: [{ attributes: { type: 'Contact', referenceId: 'ref2' }, LastName: 'x', Email: '123' }],
          },
        },
      ],
    });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      hasErrors: true,
      results: [
        {
          referenceId: 'ref2',
          errors: [
            {
              statusCode: 'INVALID_EMAIL_ADDRESS',
              message: 'Email: invalid email address: 123',
              fields: ['Email'],
            },
          ],
        },
      ],
    });
    expect(client.emulator.org.records('Account')).toHaveLength(before);
  });

  it('checks the root type and duplicate reference ids', async () => {
    const wrong = await client.post<{ errorCode: string }[]>('/composite/tree/Account', {
      records: [{ attributes: { type: 'Contact', referenceId: 'r' }, LastName: 'x' }],
    });
    expect(wrong.status).toBe(400);
    const dup = await client.post<{ errorCode: string; message: string }[]>('/composite/tree/Account', {
      records: [
        { attributes: { type: 'Account', referenceId: 'r' }, Name: 'a' },
        { attributes: { type: 'Account', referenceId: 'r' }, Name: 'b' },
      ],
    });
    expect(dup.body[0]?.message).toMatch(/Duplicate ReferenceId/);
  });
});
