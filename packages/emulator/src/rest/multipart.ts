/** One part of a `multipart/form-data` body. */
export interface MultipartPart {
  readonly name: string;
  readonly filename: string | undefined;
  readonly contentType: string | undefined;
  readonly bytes: Buffer;
}

/** The boundary of a `multipart/form-data` content type, or undefined for other types. */
export function multipartBoundary(contentType: string | undefined): string | undefined {
  if (contentType === undefined || !/^multipart\/form-data/i.test(contentType.trim())) return undefined;
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match?.[1] ?? match?.[2];
}

/**
 * Splits a multipart body into its parts (RFC 7578), as blob uploads send them: a JSON part named
 * `entity_content` and a binary part named after the blob field. Throws on a malformed body.
 */
export function parseMultipart(body: Buffer, boundary: string): MultipartPart[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: MultipartPart[] = [];
  let start = body.indexOf(delimiter);
  if (start === -1) throw new Error('multipart body has no boundary line');
  while (true) {
    const afterDelimiter = start + delimiter.length;
    if (body.subarray(afterDelimiter, afterDelimiter + 2).toString() === '--') break;
    const headerStart = body.indexOf('\r\n', afterDelimiter) + 2;
    const headerEnd = body.indexOf('\r\n\r\n', headerStart);
    if (headerStart < 2 || headerEnd === -1) throw new Error('multipart part without headers');
    const next = body.indexOf(delimiter, headerEnd + 4);
    if (next === -1) throw new Error('multipart body is not terminated');
    // The part's content ends before the CRLF that precedes the next delimiter.
    const contentEnd = body[next - 2] === 0x0d && body[next - 1] === 0x0a ? next - 2 : next;
    const headers = parseHeaders(body.subarray(headerStart, headerEnd).toString('utf8'));
    const disposition = headers.get('content-disposition') ?? '';
    const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
    if (name === undefined) throw new Error('multipart part without a name');
    parts.push({
      name,
      filename: /\bfilename="([^"]*)"/i.exec(disposition)?.[1],
      contentType: headers.get('content-type'),
      bytes: body.subarray(headerEnd + 4, contentEnd),
    });
    start = next;
  }
  return parts;
}

function parseHeaders(text: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}
