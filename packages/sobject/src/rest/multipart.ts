import { randomBytes } from 'node:crypto';

/** Bytes to upload: in memory, or streamed from a Node Readable or any async iterable. */
export type BinaryInput = Uint8Array | string | AsyncIterable<Uint8Array | string>;

/** One part of a `multipart/form-data` body. */
export interface FormPart {
  readonly name: string;
  readonly filename?: string | undefined;
  readonly contentType: string;
  readonly content: BinaryInput;
}

/**
 * A quoted-string value for Content-Disposition: CR and LF cannot appear in a header, and `"` and `\`
 * would end or break the quoted string, so they are percent-encoded as browsers do.
 */
function quoted(value: string): string {
  return `"${value.replace(/[\r\n"\\]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`)}"`;
}

/**
 * A `multipart/form-data` body that streams each part's content as it is read, so a large file never
 * sits in memory whole. Returns the body and its `Content-Type` (with the boundary).
 */
export function multipartBody(parts: readonly FormPart[]): {
  body: AsyncIterable<Uint8Array>;
  contentType: string;
} {
  const boundary = `forcekit-${randomBytes(16).toString('hex')}`;
  async function* generate(): AsyncGenerator<Uint8Array> {
    for (const part of parts) {
      let head = `--${boundary}\r\nContent-Disposition: form-data; name=${quoted(part.name)}`;
      if (part.filename !== undefined) head += `; filename=${quoted(part.filename)}`;
      head += `\r\nContent-Type: ${part.contentType}\r\n\r\n`;
      yield Buffer.from(head, 'utf8');
      const { content } = part;
      if (typeof content === 'string') yield Buffer.from(content, 'utf8');
      else if (content instanceof Uint8Array) yield content;
      else
        for await (const chunk of content)
          yield typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      yield Buffer.from('\r\n', 'utf8');
    }
    yield Buffer.from(`--${boundary}--\r\n`, 'utf8');
  }
  return { body: generate(), contentType: `multipart/form-data; boundary=${boundary}` };
}
