import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RestClient, startRestClient } from './rest-client.js';

let client: RestClient;
let accountId: string;

beforeAll(async () => {
  client = await startRestClient();
  accountId = (await client.post<{ id: string }>('/sobjects/Account', { Name: 'Files' })).body.id;
});
afterAll(() => client.emulator.stop());

function multipart(
  boundary: string,
  entity: unknown,
  field: string,
  filename: string,
  bytes: Buffer,
  type: string,
): Buffer {
  return Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="entity_content"\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(entity)}\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`,
    ),
    bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
}

async function download(path: string): Promise<{ status: number; type: string | null; bytes: Buffer }> {
  const res = await fetch(`${client.emulator.url}${client.base}${path}`, {
    headers: { Authorization: `Bearer ${client.emulator.credentials.accessToken}` },
  });
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    bytes: Buffer.from(await res.arrayBuffer()),
  };
}

describe('blob bodies', () => {
  it('Attachment: base64 JSON upload, record shows the Body URL, download gives the raw bytes', async () => {
    const bytes = Buffer.from([0, 1, 2, 250, 255, 10, 13]);
    const res = await client.post<{ id: string }>('/sobjects/Attachment', {
      ParentId: accountId,
      Name: 'data.bin',
      ContentType: 'application/x-test',
      Body: bytes.toString('base64'),
    });
    expect(res.status).toBe(201);
    const record = await client.get<Record<string, unknown>>(`/sobjects/Attachment/${res.body.id}`);
    expect(record.body).toMatchObject({
      Body: `${client.base}/sobjects/Attachment/${res.body.id}/Body`,
      BodyLength: 7,
      ParentId: accountId,
    });
    const file = await download(`/sobjects/Attachment/${res.body.id}/Body`);
    expect(file.status).toBe(200);
    expect(file.type).toBe('application/x-test');
    expect(file.bytes.equals(bytes)).toBe(true);
  });

  it('Attachment requires a Body', async () => {
    const res = await client.post<{ errorCode: string; fields: string[] }[]>('/sobjects/Attachment', {
      ParentId: accountId,
      Name: 'empty.txt',
    });
    expect(res.body[0]).toMatchObject({ errorCode: 'REQUIRED_FIELD_MISSING', fields: ['Body'] });
  });

  it('Document: multipart upload with entity_content and a Body part', async () => {
    const bytes = Buffer.from('%PDF-1.4 pretend');
    const boundary = 'boundary_string_123';
    const res = await client.call<{ id: string }>('POST', '/sobjects/Document', {
      raw: multipart(
        boundary,
        { Name: 'Spec.pdf', FolderId: client.emulator.credentials.userId },
        'Body',
        'Spec.pdf',
        bytes,
        'application/pdf',
      ),
      headers: { 'Content-Type': `multipart/form-data; boundary="${boundary}"` },
    });
    expect(res.status).toBe(201);
    const file = await download(`/sobjects/Document/${res.body.id}/Body`);
    expect(file.type).toBe('application/pdf');
    expect(file.bytes.toString()).toBe('%PDF-1.4 pretend');
    const record = await client.get<Record<string, unknown>>(
      `/sobjects/Document/${res.body.id}?fields=BodyLength,Type,DeveloperName`,
    );
    expect(record.body).toMatchObject({ BodyLength: bytes.length, Type: 'pdf', DeveloperName: 'Spec_pdf' });
  });

  it('ContentVersion: multipart VersionData creates a ContentDocument; a second version becomes the latest', async () => {
    const boundary = 'cv-boundary';
    const first = await client.call<{ id: string }>('POST', '/sobjects/ContentVersion', {
      raw: multipart(
        boundary,
        { Title: 'Notes', PathOnClient: 'notes.txt' },
        'VersionData',
        'notes.txt',
        Buffer.from('v1'),
        'text/plain',
      ),
      headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` },
    });
    expect(first.status).toBe(201);
    const v1 = await client.get<Record<string, unknown>>(`/sobjects/ContentVersion/${first.body.id}`);
    expect(v1.body).toMatchObject({
      VersionData: `${client.base}/sobjects/ContentVersion/${first.body.id}/VersionData`,
      ContentDocumentId: expect.stringMatching(/^069/),
      VersionNumber: '1',
      IsLatest: true,
      FileType: 'TEXT',
      FileExtension: 'txt',
      ContentSize: 2,
    });
    const documentId = v1.body.ContentDocumentId as string;
    const second = await client.post<{ id: string }>('/sobjects/ContentVersion', {
      ContentDocumentId: documentId,
      Title: 'Notes',
      PathOnClient: 'notes.txt',
      VersionData: Buffer.from('version two').toString('base64'),
    });
    expect(second.status).toBe(201);
    const doc = await client.get<Record<string, unknown>>(`/sobjects/ContentDocument/${documentId}`);
    expect(doc.body).toMatchObject({ LatestPublishedVersionId: second.body.id, Title: 'Notes' });
    const old = await client.get<Record<string, unknown>>(
      `/sobjects/ContentVersion/${first.body.id}?fields=IsLatest`,
    );
    expect(old.body.IsLatest).toBe(false);
    const file = await download(`/sobjects/ContentVersion/${second.body.id}/VersionData`);
    expect(file.type).toBe('text/plain');
    expect(file.bytes.toString()).toBe('version two');
  });

  it('rejects a multipart body without entity_content and a blob that is not base64', async () => {
    const boundary = 'b';
    const raw = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="Body"; filename="x"\r\n\r\nabc\r\n--${boundary}--\r\n`,
    );
    const res = await client.call<{ errorCode: string }[]>('POST', '/sobjects/Attachment', {
      raw,
      headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` },
    });
    expect(res.status).toBe(400);
    const bad = await client.post<{ errorCode: string }[]>('/sobjects/Attachment', {
      ParentId: accountId,
      Name: 'x',
      Body: '***',
    });
    expect(bad.body[0]?.errorCode).toBe('INVALID_TYPE_ON_FIELD_IN_RECORD');
  });

  it('deleting the parent deletes its attachments', async () => {
    const parent = await client.post<{ id: string }>('/sobjects/Account', { Name: 'With attachment' });
    const attachment = await client.post<{ id: string }>('/sobjects/Attachment', {
      ParentId: parent.body.id,
      Name: 'a.txt',
      Body: Buffer.from('a').toString('base64'),
    });
    await client.del(`/sobjects/Account/${parent.body.id}`);
    expect((await client.get(`/sobjects/Attachment/${attachment.body.id}`)).status).toBe(404);
  });
});
