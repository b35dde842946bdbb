/** Stable codes for every way a query can be rejected before it reaches Salesforce. */
export type SoqlBuildErrorCode =
  /** An object, field, relationship, alias or scope name is not a SOQL identifier. */
  | 'INVALID_IDENTIFIER'
  /** A `$`-key in a conditions object is not one of the supported operators. */
  | 'UNKNOWN_OPERATOR'
  /** A value cannot be rendered as a SOQL literal (type, range or format). */
  | 'INVALID_VALUE'
  /** A builder argument has the wrong shape (limit, offset, sort spec, select list, node tree...). */
  | 'INVALID_ARGUMENT'
  /** An execution method was called on a builder that is not bound to a `QueryExecutor`. */
  | 'NOT_EXECUTABLE';

/**
 * Thrown when a query cannot be built: the message names the offending field, identifier or option.
 * Messages never echo string values (they may be user data); they describe the value's type instead.
 */
export class SoqlBuildError extends Error {
  override readonly name = 'SoqlBuildError';
  readonly code: SoqlBuildErrorCode;
  /** The field, identifier or option the error is about, when there is one. */
  readonly field: string | undefined;

  constructor(code: SoqlBuildErrorCode, message: string, field?: string) {
    super(message);
    this.code = code;
    this.field = field;
  }
}
