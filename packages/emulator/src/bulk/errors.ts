import { HttpError } from '../http/context.js';

/**
 * Bulk API 2.0 errors: an array of `{ errorCode, message }` with no `fields`, in that key order
 * (`[{"errorCode":"INVALIDJOBSTATE","message":"Aborting already Completed Job not allowed"}]`, recorded
 * from a real org).
 */
export function bulkError(status: number, errorCode: string, message: string): HttpError {
  return new HttpError(status, [{ errorCode, message }]);
}

export function jobNotFound(): HttpError {
  return bulkError(404, 'NOT_FOUND', 'The requested resource does not exist');
}

/** A body field that is missing or not one of the allowed values. */
export function invalidJob(message: string): HttpError {
  return bulkError(400, 'INVALIDJOB', message);
}

export function invalidJobState(message: string): HttpError {
  return bulkError(400, 'INVALIDJOBSTATE', message);
}
