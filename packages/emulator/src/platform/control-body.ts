import { z } from 'zod';
import { HttpError, type RequestContext } from '../http/context.js';

/**
 * Bodies and errors of the `/__emulator/...` control routes: JSON validated with zod, and a bad one
 * answered `400 { "error": "<what is wrong>" }` naming the field.
 */

/** The request body checked against `schema`; an empty body is `{}`. */
export async function parseControlBody<T>(ctx: RequestContext, schema: z.ZodType<T>): Promise<T> {
  const text = await ctx.text();
  let value: unknown = {};
  if (text.trim() !== '') {
    try {
      value = JSON.parse(text);
    } catch {
      throw new HttpError(400, { error: 'the body is not valid JSON' });
    }
  }
  const result = schema.safeParse(value);
  if (!result.success) throw new HttpError(400, { error: z.prettifyError(result.error) });
  return result.data;
}

/** A control-route 400 carrying an error's message. */
export function controlError(error: unknown, prefix = ''): HttpError {
  return new HttpError(400, { error: prefix + (error instanceof Error ? error.message : String(error)) });
}

/** Runs an operation of the control API; what it throws becomes a control-route 400. */
export function attempt<T>(operation: () => T): T {
  try {
    return operation();
  } catch (error) {
    throw controlError(error);
  }
}
