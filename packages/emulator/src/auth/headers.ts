/**
 * The token of an `Authorization: Bearer <token>` header, or of the older `OAuth <token>` form that
 * Salesforce also accepts (jsforce's streaming client sends it). Undefined for anything else.
 */
export function sessionTokenOf(authorization: string | undefined): string | undefined {
  if (authorization === undefined) return undefined;
  return /^(?:Bearer|OAuth)\s+(\S+)\s*$/i.exec(authorization)?.[1];
}
