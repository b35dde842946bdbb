import { ConfigurationError } from '@forcekit/core';

/** A composite `referenceId`: letters, digits and underscores, starting with a letter. */
export const REFERENCE_ID = /^[A-Za-z][A-Za-z0-9_]*$/;

/** A whole value that is a composite reference, `@{NewAccount.id}` or `@{q.records[0].Id}`. */
const WHOLE_REFERENCE = /^@\{[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+|\[\d+\])*\}$/;

/** Every reference inside a text, capturing the referenceId it points at. */
const ANY_REFERENCE = /@\{([A-Za-z][A-Za-z0-9_]*)[^}]*\}/g;

/**
 * A reference to an earlier subrequest of the same composite request. Its properties are the
 * `@{…}` strings Salesforce resolves on the server, so they fit any string field of a typed record:
 *
 * ```ts
 * const account = reference('NewAccount');
 * subrequest.create('Contact', { LastName: 'Ng', AccountId: account.id }); // AccountId: '@{NewAccount.id}'
 * ```
 */
export interface CompositeReference {
  readonly referenceId: string;
  /** `@{ref.id}`: the id a create or upsert returned. */
  readonly id: string;
  /**
   * `@{ref.<path>}`: any value of the referenced body, e.g. `field('records[0].Id')` after a query,
   * `field('Name')` after a retrieve.
   */
  field(path: string): string;
}

export function reference(referenceId: string): CompositeReference {
  if (typeof referenceId !== 'string' || !REFERENCE_ID.test(referenceId)) {
    throw new ConfigurationError(
      [{ field: 'referenceId', message: 'must start with a letter and hold only letters, digits and _' }],
      'composite reference',
    );
  }
  return {
    referenceId,
    id: `@{${referenceId}.id}`,
    field(path: string): string {
      const text = `@{${referenceId}.${path}}`;
      if (typeof path !== 'string' || !WHOLE_REFERENCE.test(text)) {
        throw new ConfigurationError(
          [{ field: 'path', message: 'must be a JSON path like Name or records[0].Id' }],
          'composite reference',
        );
      }
      return text;
    },
  };
}

/** Whether a whole value is a reference: such a value goes into a URL unescaped. */
export function isReference(value: string): boolean {
  return WHOLE_REFERENCE.test(value);
}

/** The referenceIds a text (a URL, a JSON body) refers to. */
export function referencedIds(text: string): string[] {
  return [...text.matchAll(ANY_REFERENCE)].map((match) => match[1] as string);
}
