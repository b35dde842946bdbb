import type { ZodType } from 'zod';
import { ConfigurationError } from './errors.js';

/**
 * Parses an options object with a zod schema, or throws one `ConfigurationError` naming every bad field.
 *
 * Every forcekit package checks the options that cross its boundary this way, so a bad option reads the
 * same wherever it is given: `Invalid bulk query options: maxRecords: must be at least 1; lineEnding: must
 * be LF or CRLF`.
 * - `undefined` and `null` mean "no options": the schema is given `{}`.
 * - A nested field is named by its dotted path (`reconnect.maxDelayMs`, `types.Amount`).
 * - A key that a strict schema (`z.strictObject`) does not know is named with the message
 *   `unknown option`, one issue per key, so a typo is reported rather than silently ignored.
 * - An issue about the value as a whole (not an object, say) is named `options`.
 *
 * ```ts
 * const schema = z.strictObject({ pollInterval: z.int().min(1, 'must be at least 1').optional() });
 * const { pollInterval = 1_000 } = parseOptions(schema, options, 'bulk options');
 * ```
 *
 * @param schema The zod 4 schema of the options; what it outputs (defaults, transforms) is returned.
 * @param value What the caller passed.
 * @param subject What the options are for, as the error message says it: `'bulk query options'`.
 */
export function parseOptions<T>(schema: ZodType<T>, value: unknown, subject: string): T {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issues: { field: string; message: string }[] = [];
  for (const issue of result.error.issues) {
    const path = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys)
        issues.push({ field: [...path, key].join('.'), message: 'unknown option' });
    } else {
      issues.push({ field: path.length === 0 ? 'options' : path.join('.'), message: issue.message });
    }
  }
  throw new ConfigurationError(issues, subject);
}
