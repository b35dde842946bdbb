import type { Emulator } from '../../src/index.js';
import { type JsonResponse, request } from './http.js';

export type TokenBody = Record<string, string>;

/** POSTs form parameters to the token endpoint. */
export function tokenRequest(
  emulator: Emulator,
  form: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<JsonResponse<TokenBody>> {
  return request<TokenBody>(`${emulator.loginUrl}/services/oauth2/token`, { method: 'POST', form, headers });
}

/** Follows `/authorize` and returns the callback URL it redirected to. */
export async function authorize(emulator: Emulator, params: Record<string, string>): Promise<URL> {
  const url = new URL('/services/oauth2/authorize', emulator.loginUrl);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  const res = await fetch(url, { redirect: 'manual' });
  await res.arrayBuffer();
  const location = res.headers.get('location');
  if (res.status !== 302 || location === null)
    throw new Error(`authorize answered ${res.status} without a redirect`);
  return new URL(location);
}
