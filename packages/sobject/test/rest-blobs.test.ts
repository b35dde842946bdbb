import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { NotFoundError } from '@forcekit/core';
import { to18 } from '@forcekit/emulator';
import { describe, expect, test } from 'vitest';
import { getAttachmentBody, getContentVersionBody, getDocumentBody } from '../src/rest/blobs.js';
import { createAttachment, createDocument, uploadContentVersion } from '../src/rest/uploads.js';
import { useEmulator } from './rest-support.js';

const env = useEmulator();

async function bytesOf(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function sha(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

describe('binary bodies against the emulator', () => {
  test('uploads a ContentVersion from a stream as multipart and downloads the same bytes', async () => {
    const data = randomBytes(1024 * 1024);
    const chunks = Array.from({ length: 16 }, (_, i) => data.subarray(i * 65536, (i + 1) * 65536));
    const result = await uploadContentVersion(
      env.client,
      { Title: 'Report', PathOnClient: 'report.bin' },
      Readable.from(chunks),
    );
    expect(result.success).toBe(true);
    expect(result.id.startsWith('068')).toBe(true);
    const [version] = env.emulator.org.records('ContentVersion');
    expect(version?.Title).toBe('Report');
    expect(sha(await bytesOf(await getContentVersionBody(env.client, result.id)))).toBe(sha(data));
  });

  test('creates an Attachment with a base64 body and streams it back', async () => {
    const [account] = env.emulator.org.insert('Account', [{ Name: 'With files' }]);
    const data = randomBytes(50_000);
    const result = await createAttachment(
      env.client,
      { ParentId: account?.Id as string, Name: 'a.bin', ContentType: 'application/octet-stream' },
      data,
    );
    expect(result.id.startsWith('00P')).toBe(true);
    expect(sha(await bytesOf(await getAttachmentBody(env.client, result.id)))).toBe(sha(data));
  });

  test('creates a Document in the user folder from text and streams it back', async () => {
    const result = await createDocument(
      env.client,
      { FolderId: env.emulator.org.admin.id, Name: 'notes.txt', ContentType: 'text/plain' },
      'héllo wörld',
    );
    expect((await bytesOf(await getDocumentBody(env.client, result.id))).toString('utf8')).toBe(
      'héllo wörld',
    );
  });

  test('a missing record rejects with NotFoundError before any stream is handed out', async () => {
    await expect(getAttachmentBody(env.client, to18('00P000000000001') as string)).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  test('names the missing field of an upload', async () => {
    await expect(uploadContentVersion(env.client, { Title: 'x' } as never, 'data')).rejects.toThrow(
      /PathOnClient: required/,
    );
    await expect(createAttachment(env.client, { Name: 'x' } as never, 'data')).rejects.toThrow(
      /ParentId: required/,
    );
  });
});
