import { Readable } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { multipartBody } from '../src/rest/multipart.js';

async function text(body: AsyncIterable<Uint8Array>): Promise<string> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return Buffer.concat(chunks).toString('latin1');
}

describe('multipartBody', () => {
  test('frames each part with the boundary its content type names', async () => {
    const { body, contentType } = multipartBody([
      { name: 'entity_content', contentType: 'application/json', content: '{"PathOnClient":"a.txt"}' },
      {
        name: 'VersionData',
        filename: 'a.txt',
        contentType: 'application/octet-stream',
        content: new Uint8Array([104, 105]),
      },
    ]);
    const boundary = /boundary=(.+)$/.exec(contentType)?.[1];
    expect(contentType.startsWith('multipart/form-data; boundary=forcekit-')).toBe(true);
    expect(await text(body)).toBe(
      `--${boundary}\r\nContent-Disposition: form-data; name="entity_content"\r\nContent-Type: application/json\r\n\r\n` +
        `{"PathOnClient":"a.txt"}\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="VersionData"; filename="a.txt"\r\nContent-Type: application/octet-stream\r\n\r\n` +
        `hi\r\n--${boundary}--\r\n`,
    );
  });

  test('streams a Readable part chunk by chunk', async () => {
    const source = Readable.from([Buffer.from('one,'), Buffer.from('two')]);
    const { body } = multipartBody([
      { name: 'f', filename: 'x.csv', contentType: 'text/csv', content: source },
    ]);
    expect(await text(body)).toContain('\r\n\r\none,two\r\n');
  });

  test('percent-encodes quotes and line breaks in a file name so headers cannot be injected', async () => {
    const { body } = multipartBody([
      { name: 'f', filename: 'a"\r\nX-Evil: 1.txt', contentType: 'application/octet-stream', content: '' },
    ]);
    expect(await text(body)).toContain('filename="a%22%0D%0AX-Evil: 1.txt"');
  });

  test('uses a fresh boundary for every body', () => {
    const a = multipartBody([]).contentType;
    const b = multipartBody([]).contentType;
    expect(a).not.toBe(b);
  });
});
