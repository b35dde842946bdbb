import type { Readable } from 'node:stream';
import { apiPath, type Requester } from '@forcekit/core';
import { type CallOptions, withCallOptions } from './call-options.js';

/**
 * A binary field's content, streamed: `GET sobjects/<type>/<id>/<field>`. The promise settles once the
 * response headers arrive (a missing record rejects with `NotFoundError`); read the stream to its end
 * or destroy it, since the request holds a concurrency slot until the stream closes.
 */
export async function getBlob(
  requester: Requester,
  type: string,
  id: string,
  field: string,
  options?: CallOptions,
): Promise<Readable> {
  const response = await requester.raw(
    withCallOptions({ path: apiPath`sobjects/${type}/${id}/${field}` }, options),
  );
  return response.body;
}

/** An Attachment's `Body`, streamed. */
export function getAttachmentBody(
  requester: Requester,
  id: string,
  options?: CallOptions,
): Promise<Readable> {
  return getBlob(requester, 'Attachment', id, 'Body', options);
}

/** A Document's `Body`, streamed. */
export function getDocumentBody(requester: Requester, id: string, options?: CallOptions): Promise<Readable> {
  return getBlob(requester, 'Document', id, 'Body', options);
}

/** A ContentVersion's `VersionData` (the file of a Salesforce Files version), streamed. */
export function getContentVersionBody(
  requester: Requester,
  id: string,
  options?: CallOptions,
): Promise<Readable> {
  return getBlob(requester, 'ContentVersion', id, 'VersionData', options);
}
