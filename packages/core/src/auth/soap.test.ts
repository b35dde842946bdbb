import { describe, expect, it } from 'vitest';
import { AuthError, ResponseError } from '../errors.js';
import { xmlText } from '../internal/xml.js';
import { sessionFromSoapLogin, soapLoginEnvelope } from './soap.js';

const target = { method: 'POST', path: '/services/Soap/u/62.0' };

describe('SOAP login', () => {
  it('escapes credentials into the envelope', () => {
    const xml = soapLoginEnvelope('a&b@example.com', 'p<w>"d\'&TOKEN');
    expect(xml).toContain('<username>a&amp;b@example.com</username>');
    expect(xml).toContain('<password>p&lt;w&gt;&quot;d&apos;&amp;TOKEN</password>');
    expect(xmlText(xml, 'password')).toBe('p<w>"d\'&TOKEN');
  });

  it('reads the session from a loginResponse', () => {
    const xml =
      '<soapenv:Envelope><soapenv:Body><loginResponse><result>' +
      '<passwordExpired>false</passwordExpired>' +
      '<serverUrl>https://na15.salesforce.com/services/Soap/u/62.0/00Di0000000icUB</serverUrl>' +
      '<sessionId>00Di0000000icUB!AQ0AQ</sessionId><userId>005i0000002MUqLAAW</userId>' +
      '<userInfo><organizationId>00Di0000000icUBEAY</organizationId><userId>ignored</userId></userInfo>' +
      '</result></loginResponse></soapenv:Body></soapenv:Envelope>';
    expect(sessionFromSoapLogin(xml, 'https://login.salesforce.com', target)).toEqual({
      accessToken: '00Di0000000icUB!AQ0AQ',
      instanceUrl: 'https://na15.salesforce.com',
      idUrl: 'https://login.salesforce.com/id/00Di0000000icUBEAY/005i0000002MUqLAAW',
      userId: '005i0000002MUqLAAW',
      organizationId: '00Di0000000icUBEAY',
      grant: 'soap',
    });
  });

  it('refuses a session whose password has expired', () => {
    const xml =
      '<result><passwordExpired>true</passwordExpired><serverUrl>https://x.my.salesforce.com/s</serverUrl>' +
      '<sessionId>s</sessionId><userId>u</userId><organizationId>o</organizationId></result>';
    expect(() => sessionFromSoapLogin(xml, 'https://login.salesforce.com', target)).toThrow(AuthError);
  });

  it('reports a response without a session', () => {
    expect(() => sessionFromSoapLogin('<loginResponse/>', 'https://login.salesforce.com', target)).toThrow(
      ResponseError,
    );
  });
});
