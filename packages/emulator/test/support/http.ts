/** Small helpers over the global fetch for the emulator's integration tests. */

export interface JsonResponse<T = unknown> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
  readonly text: string;
}

export async function request<T = unknown>(
  url: string,
  init: RequestInit & { json?: unknown; form?: Record<string, string> } = {},
): Promise<JsonResponse<T>> {
  const headers = new Headers(init.headers);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set('content-type', 'application/json');
    body = JSON.stringify(init.json);
  } else if (init.form !== undefined) {
    headers.set('content-type', 'application/x-www-form-urlencoded');
    body = new URLSearchParams(init.form).toString();
  }
  const { json: _json, form: _form, ...rest } = init;
  const response = await fetch(url, { ...rest, headers, body: body ?? null, redirect: 'manual' });
  const text = await response.text();
  let parsed: unknown = text;
  if (/json/i.test(response.headers.get('content-type') ?? '') && text !== '') parsed = JSON.parse(text);
  return { status: response.status, headers: response.headers, body: parsed as T, text };
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}
