import { ConfigurationError, type Requester } from '@forcekit/core';
import { type CallOptions, withCallOptions } from './call-options.js';
import { type BinaryInput, multipartBody } from './multipart.js';

/** What a create answers (`201 { id, success, errors }`). */
export interface UploadResult {
  readonly id: string;
  readonly success: boolean;
  readonly errors: readonly unknown[];
}

/** ContentVersion fields for an upload: `PathOnClient` names the file (and its type). */
export interface ContentVersionFields {
  readonly PathOnClient: string;
  readonly Title?: string | undefined;
  /** A record, user or library to share the new file with. */
  readonly FirstPublishLocationId?: string | undefined;
  /** A new version of an existing file, rather than a new file. */
  readonly ContentDocumentId?: string | undefined;
  readonly ReasonForChange?: string | undefined;
  readonly [field: string]: unknown;
}

function requireString(fields: Readonly<Record<string, unknown>>, name: string, subject: string): void {
  if (typeof fields?.[name] !== 'string' || fields[name] === '') {
    throw new ConfigurationError([{ field: name, message: 'required (a non-empty string)' }], subject);
  }
}

/**
 * Uploads a file to Salesforce Files: `POST sobjects/ContentVersion` as `multipart/form-data`, the
 * fields as the JSON part `entity_content` and the bytes as the `VersionData` part. `data` may be a
 * Node Readable or any async iterable: it is streamed, never held in memory whole (and so, like any
 * streamed body, never retried).
 */
export async function uploadContentVersion(
  requester: Requester,
  fields: ContentVersionFields,
  data: BinaryInput,
  options?: CallOptions,
): Promise<UploadResult> {
  requireString(fields, 'PathOnClient', 'ContentVersion upload');
  const { body, contentType } = multipartBody([
    { name: 'entity_content', contentType: 'application/json', content: JSON.stringify(fields) },
    {
      name: 'VersionData',
      filename: fields.PathOnClient,
      contentType: 'application/octet-stream',
      content: data,
    },
  ]);
  return requester.request<UploadResult>(
    withCallOptions(
      {
        method: 'POST',
        path: 'sobjects/ContentVersion',
        body,
        headers: { ...options?.headers, 'content-type': contentType },
      },
      { ...options, headers: undefined },
    ),
  );
}

function base64Of(content: Uint8Array | string, subject: string): string {
  if (typeof content === 'string') return Buffer.from(content, 'utf8').toString('base64');
  if (content instanceof Uint8Array)
    return Buffer.from(content.buffer, content.byteOffset, content.byteLength).toString('base64');
  throw new ConfigurationError([{ field: 'body', message: 'must be a Uint8Array or a string' }], subject);
}

/** Attachment fields: the parent record and a file name. */
export interface AttachmentFields {
  readonly ParentId: string;
  readonly Name: string;
  readonly ContentType?: string | undefined;
  readonly Description?: string | undefined;
  readonly [field: string]: unknown;
}

/** Creates an Attachment with `Body` sent base64 in the JSON (a string body is sent as UTF-8). */
export async function createAttachment(
  requester: Requester,
  fields: AttachmentFields,
  body: Uint8Array | string,
  options?: CallOptions,
): Promise<UploadResult> {
  const subject = 'Attachment upload';
  requireString(fields, 'ParentId', subject);
  requireString(fields, 'Name', subject);
  return requester.request<UploadResult>(
    withCallOptions(
      { method: 'POST', path: 'sobjects/Attachment', body: { ...fields, Body: base64Of(body, subject) } },
      options,
    ),
  );
}

/** Document fields: the folder (or user id, for a personal folder) and a name. */
export interface DocumentFields {
  readonly FolderId: string;
  readonly Name: string;
  readonly ContentType?: string | undefined;
  readonly Type?: string | undefined;
  readonly [field: string]: unknown;
}

/** Creates a Document with `Body` sent base64 in the JSON (a string body is sent as UTF-8). */
export async function createDocument(
  requester: Requester,
  fields: DocumentFields,
  body: Uint8Array | string,
  options?: CallOptions,
): Promise<UploadResult> {
  const subject = 'Document upload';
  requireString(fields, 'FolderId', subject);
  requireString(fields, 'Name', subject);
  return requester.request<UploadResult>(
    withCallOptions(
      { method: 'POST', path: 'sobjects/Document', body: { ...fields, Body: base64Of(body, subject) } },
      options,
    ),
  );
}
