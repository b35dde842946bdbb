import { XMLParser } from 'fast-xml-parser';
import { HttpError, type RequestContext } from '../http/context.js';
import type { Org } from '../org.js';
import { isServedVersion } from '../platform/versions.js';
import { escapeText } from './markup.js';
import type { EmulatorUser } from './users.js';

/** Which WSDL an endpoint speaks: partner (`/Soap/u/`) or enterprise (`/Soap/c/`). */
export type SoapFlavor = 'partner' | 'enterprise';

const NAMESPACE: Record<SoapFlavor, string> = {
  partner: 'urn:partner.soap.sforce.com',
  enterprise: 'urn:enterprise.soap.sforce.com',
};
const PATH_LETTER: Record<SoapFlavor, string> = { partner: 'u', enterprise: 'c' };

const ENVELOPE_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';
const CONTENT_TYPE = 'text/xml;charset=UTF-8';

const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: true,
  parseTagValue: false,
  processEntities: true,
});

/**
 * `POST /services/Soap/u/NN.N` (and `/c/` for the enterprise WSDL): the SOAP API's `login` and
 * `logout`. Other operations answer a SOAP fault: the emulator speaks REST for data.
 */
export async function handleSoap(ctx: RequestContext, org: Org, flavor: SoapFlavor): Promise<void> {
  const version = ctx.params.soapVersion as string;
  if (!isServedVersion(version, org.apiVersion)) {
    throw soapFault(
      'sf:UNSUPPORTED_API_VERSION',
      'UNSUPPORTED_API_VERSION: Invalid Api version specified on URL',
      {
        exceptionCode: 'UNSUPPORTED_API_VERSION',
        message: 'Invalid Api version specified on URL',
        faultType: 'UnexpectedErrorFault',
      },
    );
  }
  const envelope = parseEnvelope(await ctx.text());
  const operation = envelope ? firstElement(envelope.body) : undefined;
  if (!envelope || !operation) {
    throw soapFault('soapenv:Client', 'Unable to find a SOAP Body with an operation element in the request');
  }
  switch (operation.name) {
    case 'login':
      return login(ctx, org, flavor, version, operation.value);
    case 'logout':
      return logout(ctx, org, flavor, envelope.header);
    default:
      throw soapFault(
        'sf:UNKNOWN_EXCEPTION',
        `UNKNOWN_EXCEPTION: the emulator serves only login and logout over SOAP, not ${operation.name}`,
        {
          exceptionCode: 'UNKNOWN_EXCEPTION',
          message: `the emulator serves only login and logout over SOAP, not ${operation.name}`,
          faultType: 'UnexpectedErrorFault',
        },
      );
  }
}

async function login(
  ctx: RequestContext,
  org: Org,
  flavor: SoapFlavor,
  version: string,
  request: unknown,
): Promise<void> {
  const fields = asRecord(request);
  const user = org.users.authenticate(text(fields?.username), text(fields?.password));
  if (!user) {
    throw soapFault(
      'INVALID_LOGIN',
      'INVALID_LOGIN: Invalid username, password, security token; or user locked out.',
      {
        exceptionCode: 'INVALID_LOGIN',
        message: 'Invalid username, password, security token; or user locked out.',
        faultType: 'LoginFault',
      },
    );
  }
  const session = org.sessions.issue({ userId: user.id, origin: 'soap', scopes: ['api', 'web'] });
  const orgId15 = org.organizationId.slice(0, 15);
  const letter = PATH_LETTER[flavor];
  const result = [
    element('metadataServerUrl', `${org.url}/services/Soap/m/${version}/${orgId15}`),
    element('passwordExpired', 'false'),
    element('sandbox', 'false'),
    element('serverUrl', `${org.url}/services/Soap/${letter}/${version}/${orgId15}`),
    element('sessionId', session.accessToken),
    element('userId', user.id),
    `<userInfo>${userInfo(org, user)}</userInfo>`,
  ].join('');
  await sendEnvelope(ctx, flavor, `<loginResponse><result>${result}</result></loginResponse>`);
}

async function logout(ctx: RequestContext, org: Org, flavor: SoapFlavor, header: unknown): Promise<void> {
  const sessionId = text(asRecord(asRecord(header)?.SessionHeader)?.sessionId);
  if (sessionId === '' || !org.sessions.revoke(sessionId)) {
    throw soapFault(
      'sf:INVALID_SESSION_ID',
      'INVALID_SESSION_ID: Invalid Session ID found in SessionHeader: Illegal Session',
      {
        exceptionCode: 'INVALID_SESSION_ID',
        message: 'Invalid Session ID found in SessionHeader: Illegal Session',
        faultType: 'UnexpectedErrorFault',
      },
    );
  }
  await sendEnvelope(ctx, flavor, '<logoutResponse/>');
}

/** The `userInfo` block, elements in the order a real loginResponse lists them. */
function userInfo(org: Org, user: EmulatorUser): string {
  const fullName = [user.firstName, user.lastName].filter(Boolean).join(' ');
  return [
    element('accessibilityMode', 'false'),
    element('currencySymbol', '$'),
    element('orgAttachmentFileSizeLimit', '5242880'),
    element('orgDefaultCurrencyIsoCode', 'USD'),
    element('orgDisallowHtmlAttachments', 'false'),
    element('orgHasPersonAccounts', 'false'),
    element('organizationId', org.organizationId),
    element('organizationMultiCurrency', 'false'),
    element('organizationName', org.organizationName),
    element('profileId', user.profileId),
    '<roleId xsi:nil="true"/>',
    element('sessionSecondsValid', String(Math.floor(org.sessions.idleTimeoutMs / 1000))),
    '<userDefaultCurrencyIsoCode xsi:nil="true"/>',
    element('userEmail', user.email),
    element('userFullName', fullName),
    element('userId', user.id),
    element('userLanguage', user.language),
    element('userLocale', user.locale),
    element('userName', user.username),
    element('userTimeZone', user.timeZone),
    element('userType', 'Standard'),
    element('userUiSkin', 'Theme3'),
  ].join('');
}

function sendEnvelope(ctx: RequestContext, flavor: SoapFlavor, body: string): Promise<void> {
  const xml =
    `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="${ENVELOPE_NS}" ` +
    `xmlns="${NAMESPACE[flavor]}" xmlns:xsi="${XSI_NS}"><soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`;
  return ctx.send(200, xml, CONTENT_TYPE);
}

interface FaultDetail {
  readonly exceptionCode: string;
  readonly message: string;
  /** `LoginFault`, `UnexpectedErrorFault`... */
  readonly faultType: string;
}

/** A SOAP fault: HTTP 500, `text/xml`, in the partner fault namespace as Salesforce sends it. */
export function soapFault(faultcode: string, faultstring: string, detail?: FaultDetail): HttpError {
  const detailXml = detail
    ? `<detail><sf:${detail.faultType} xsi:type="sf:${detail.faultType}">` +
      `<sf:exceptionCode>${escapeText(detail.exceptionCode)}</sf:exceptionCode>` +
      `<sf:exceptionMessage>${escapeText(detail.message)}</sf:exceptionMessage>` +
      `</sf:${detail.faultType}></detail>`
    : '';
  const xml =
    `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="${ENVELOPE_NS}" ` +
    `xmlns:sf="urn:fault.partner.soap.sforce.com" xmlns:xsi="${XSI_NS}"><soapenv:Body><soapenv:Fault>` +
    `<faultcode>${escapeText(faultcode)}</faultcode><faultstring>${escapeText(faultstring)}</faultstring>` +
    `${detailXml}</soapenv:Fault></soapenv:Body></soapenv:Envelope>`;
  return new HttpError(500, xml, { 'Content-Type': CONTENT_TYPE });
}

interface Envelope {
  readonly header: unknown;
  readonly body: unknown;
}

function parseEnvelope(xml: string): Envelope | undefined {
  let document: unknown;
  try {
    document = parser.parse(xml);
  } catch {
    return undefined;
  }
  const envelope = asRecord(asRecord(document)?.Envelope);
  if (!envelope || envelope.Body === undefined) return undefined;
  return { header: envelope.Header, body: envelope.Body };
}

function firstElement(body: unknown): { name: string; value: unknown } | undefined {
  if (typeof body === 'string') return undefined;
  const record = asRecord(body);
  if (!record) return undefined;
  const name = Object.keys(record).find((key) => !key.startsWith('#'));
  return name === undefined ? undefined : { name, value: record[name] };
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return '';
}

function element(name: string, value: string): string {
  return `<${name}>${escapeText(value)}</${name}>`;
}
