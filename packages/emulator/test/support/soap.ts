/** SOAP envelopes as partner-API clients send them. */

export function loginEnvelope(username: string, password: string): string {
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    '<env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/"><env:Header/><env:Body>' +
    '<login xmlns="urn:partner.soap.sforce.com">' +
    `<username>${escapeText(username)}</username><password>${escapeText(password)}</password>` +
    '</login></env:Body></env:Envelope>'
  );
}

export function logoutEnvelope(sessionId: string): string {
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    '<se:Envelope xmlns:se="http://schemas.xmlsoap.org/soap/envelope/" xmlns:p="urn:partner.soap.sforce.com">' +
    `<se:Header><p:SessionHeader><p:sessionId>${escapeText(sessionId)}</p:sessionId></p:SessionHeader></se:Header>` +
    '<se:Body><p:logout/></se:Body></se:Envelope>'
  );
}

export async function postSoap(
  url: string,
  envelope: string,
): Promise<{ status: number; contentType: string; xml: string }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'text/xml; charset=UTF-8', soapaction: '""' },
    body: envelope,
  });
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', xml: await res.text() };
}

/** The text of the first element with this local name. */
export function elementText(xml: string, name: string): string | undefined {
  return new RegExp(`<(?:\\w+:)?${name}>([^<]*)</(?:\\w+:)?${name}>`).exec(xml)?.[1];
}

/** Local names of the child elements of the first `<parent>`, in order (for structure comparisons). */
export function childNames(xml: string, parent: string): string[] {
  const match = new RegExp(`<(?:\\w+:)?${parent}[^>]*>([\\s\\S]*?)</(?:\\w+:)?${parent}>`).exec(xml);
  if (!match) return [];
  const names: string[] = [];
  let depth = 0;
  for (const tag of (match[1] as string).matchAll(/<(\/?)(?:\w+:)?(\w+)[^>]*?(\/?)>/g)) {
    const [, closing, name, selfClosing] = tag;
    if (closing) {
      depth--;
      continue;
    }
    if (depth === 0) names.push(name as string);
    if (!selfClosing) depth++;
  }
  return names;
}

function escapeText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
