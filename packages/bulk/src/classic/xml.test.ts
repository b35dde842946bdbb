import { describe, expect, it } from 'vitest';
import { parseBatchInfoList, parseJobInfo, parseResultList } from './info.js';
import { escapeXml, parseXml, xmlDocument } from './xml.js';

const target = { method: 'GET', path: '/services/async/62.0/job/750x' };

describe('classic XML', () => {
  it('builds a jobInfo document in the dataload namespace, escaping values and leaving out undefined ones', () => {
    expect(
      xmlDocument('jobInfo', [
        ['operation', 'insert'],
        ['object', 'A&B<'],
        ['externalIdFieldName', undefined],
        ['contentType', 'CSV'],
      ]),
    ).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><jobInfo xmlns="http://www.force.com/2009/06/asyncapi/dataload">' +
        '<operation>insert</operation><object>A&amp;B&lt;</object><contentType>CSV</contentType></jobInfo>',
    );
    expect(escapeXml(`"'`)).toBe('&quot;&apos;');
  });

  it('parses elements, prefixes, entities, CDATA, comments and self-closing tags', () => {
    const root = parseXml(
      '<?xml version="1.0"?><!-- c --><ns:a xmlns:ns="x"><b>1 &lt; 2 &#38; &#x41;</b><c/><d><![CDATA[<raw>]]></d></ns:a>',
    );
    expect(root.name).toBe('a');
    expect(root.children.map((child) => [child.name, child.text])).toEqual([
      ['b', '1 < 2 & A'],
      ['c', ''],
      ['d', '<raw>'],
    ]);
  });

  it('refuses malformed documents', () => {
    expect(() => parseXml('<a><b></a>')).toThrow(SyntaxError);
    expect(() => parseXml('<a>')).toThrow(SyntaxError);
    expect(() => parseXml('<a/><b/>')).toThrow(/more than one root/);
  });

  it('reads a jobInfo with numeric counters', () => {
    const info = parseJobInfo(
      xmlDocument('jobInfo', [
        ['id', '750000000000001AAA'],
        ['operation', 'insert'],
        ['object', 'Account'],
        ['state', 'Open'],
        ['numberBatchesTotal', '2'],
        ['apiVersion', '62.0'],
      ]),
      target,
    );
    expect(info).toEqual({
      kind: 'classic',
      id: '750000000000001AAA',
      operation: 'insert',
      object: 'Account',
      state: 'Open',
      numberBatchesTotal: 2,
      apiVersion: 62,
    });
  });

  it('reads batch lists and query result lists', () => {
    const list = parseBatchInfoList(
      '<batchInfoList xmlns="http://www.force.com/2009/06/asyncapi/dataload"><batchInfo><id>751a</id><jobId>750a</jobId><state>Queued</state></batchInfo><batchInfo><id>751b</id><jobId>750a</jobId><state>Completed</state><numberRecordsProcessed>3</numberRecordsProcessed></batchInfo></batchInfoList>',
      target,
    );
    expect(list.map((batch) => [batch.id, batch.state, batch.numberRecordsProcessed])).toEqual([
      ['751a', 'Queued', undefined],
      ['751b', 'Completed', 3],
    ]);
    expect(
      parseResultList(
        '<result-list xmlns="x"><result>752a</result><result>752b</result></result-list>',
        target,
      ),
    ).toEqual(['752a', '752b']);
  });

  it('turns a body that is not the expected document into a ResponseError', () => {
    expect(() => parseJobInfo('<batchInfo><id>1</id></batchInfo>', target)).toThrow(/expected <jobInfo>/);
    expect(() => parseJobInfo('not xml at all <', target)).toThrow(/INVALID_RESPONSE|not XML/);
    expect(() => parseJobInfo('<jobInfo><state>Open</state></jobInfo>', target)).toThrow(/no id or state/);
  });
});
