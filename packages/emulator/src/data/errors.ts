/**
 * DML errors as Salesforce reports them: a status code, a message worded the way Salesforce words it,
 * and the fields involved. REST single-record routes send them as `errorCode`; sObject Collections and
 * composite tree as `statusCode`.
 */
export interface DmlError {
  readonly statusCode: string;
  readonly message: string;
  readonly fields: readonly string[];
  /**
   * False for errors Salesforce reports without a `fields` key on single-record REST routes (a body
   * it cannot map, such as an unknown column); collection results always carry `fields`.
   */
  readonly restFields?: false;
}

/** Thrown by DML when a record cannot be saved; carries every error found for it. */
export class DmlException extends Error {
  readonly errors: readonly DmlError[];
  /** The HTTP status a single-record REST call answers with (404 for missing or deleted records). */
  readonly status: number;

  constructor(errors: readonly DmlError[], status = 400) {
    // A refused save is an answer to send, not a fault to trace: nothing reads its stack, and capturing
    // one cost more than the rest of a failed bulk row (14,000 refused rows of a 100,000-row job).
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(errors.map((e) => `${e.statusCode}: ${e.message}`).join('; '));
    Error.stackTraceLimit = stackTraceLimit;
    this.name = 'DmlException';
    this.errors = errors;
    this.status = status;
  }
}

export function dmlError(statusCode: string, message: string, fields: readonly string[] = []): DmlError {
  return { statusCode, message, fields };
}

export const NOT_FOUND_MESSAGE = 'The requested resource does not exist';

/** An error Salesforce reports without a `fields` key on single-record REST routes. */
export function bareError(statusCode: string, message: string): DmlError {
  return { statusCode, message, fields: [], restFields: false };
}

export function notFound(message = NOT_FOUND_MESSAGE): DmlException {
  return new DmlException([bareError('NOT_FOUND', message)], 404);
}

export function entityIsDeleted(): DmlException {
  return new DmlException([dmlError('ENTITY_IS_DELETED', 'entity is deleted')], 404);
}

export function invalidField(field: string, objectName: string): DmlError {
  return {
    statusCode: 'INVALID_FIELD',
    message: `No such column '${field}' on sobject of type ${objectName}`,
    fields: [],
    restFields: false,
  };
}

export function requiredFieldsMissing(fields: readonly string[]): DmlError {
  return dmlError('REQUIRED_FIELD_MISSING', `Required fields are missing: [${fields.join(', ')}]`, fields);
}

export function notWritable(fields: readonly string[]): DmlError {
  return dmlError(
    'INVALID_FIELD_FOR_INSERT_UPDATE',
    `Unable to create/update fields: ${fields.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
    fields,
  );
}

export function malformedId(label: string, value: string, field: string): DmlError {
  return dmlError('MALFORMED_ID', `${label}: id value of incorrect type: ${value}`, [field]);
}

export function duplicateValue(field: string, existingId: string): DmlError {
  return dmlError(
    'DUPLICATE_VALUE',
    `duplicate value found: ${field} duplicates value on record with id: ${existingId}`,
  );
}

export const ROLLED_BACK_MESSAGE =
  'Record rolled back because not all records were valid and the request was using AllOrNone header';
