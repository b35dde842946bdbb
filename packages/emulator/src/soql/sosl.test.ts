import { describe, expect, it } from 'vitest';
import { SoqlError } from './errors.js';
import { executeSosl } from './sosl.js';
import { recordUrl, seedOrg, TEST_OPTIONS, TestOrgData } from './test-support.js';

const { data, ids } = seedOrg();
const id = (name: string): string => ids[name] ?? '';
const search = (sosl: string, org = data): Record<string, unknown>[] => executeSosl(sosl, org, TEST_OPTIONS);

/** `Type:Name` of each search record, for compact expectations. */
function found(sosl: string, org = data): string[] {
  return search(sosl, org).map((record) => {
    const attributes = record.attributes as { type: string };
    return `${attributes.type}:${String(record.Name ?? record.Id)}`;
  });
}

function failure(sosl: string): { errorCode: string; message: string } {
  try {
    search(sosl);
  } catch (error) {
    if (!(error instanceof SoqlError)) throw error;
    return { errorCode: error.errorCode, message: error.message };
  }
  throw new Error(`expected ${sosl} to fail`);
}

describe('SOSL results', () => {
  it('returns searchRecords entries with attributes first and the RETURNING fields', () => {
    expect(search('FIND {Acme} RETURNING Account(Id, Name)')).toEqual([
      {
        attributes: { type: 'Account', url: recordUrl('Account', id('acme')) },
        Id: id('acme'),
        Name: 'Acme',
      },
    ]);
  });

  it('mixes objects in RETURNING order', () => {
    expect(search('FIND {acme} IN ALL FIELDS RETURNING Account(Name), Contact(Name, Email)')).toEqual([
      { attributes: { type: 'Account', url: recordUrl('Account', id('acme')) }, Name: 'Acme' },
      {
        attributes: { type: 'Contact', url: recordUrl('Contact', id('jo')) },
        Name: 'Jo Smith',
        Email: 'jo@acme.com',
      },
    ]);
  });

  it('returns only Id for an object named without a field list', () => {
    expect(search('FIND {acme} RETURNING Account')).toEqual([
      { attributes: { type: 'Account', url: recordUrl('Account', id('acme')) }, Id: id('acme') },
    ]);
  });

  it('searches every searchable object, returning Ids, when there is no RETURNING', () => {
    expect(found('FIND {globex}')).toEqual([`Account:${id('globex')}`, `Contact:${id('max')}`]);
  });

  it('applies WHERE, ORDER BY and LIMIT of a RETURNING entry like SOQL', () => {
    expect(found('FIND {deal} RETURNING Opportunity(Name WHERE Amount > 1000 ORDER BY Amount DESC)')).toEqual(
      ['Opportunity:Big Deal', 'Opportunity:Media Deal'],
    );
    expect(found('FIND {deal} RETURNING Opportunity(Name ORDER BY Name LIMIT 1)')).toEqual([
      'Opportunity:Big Deal',
    ]);
  });

  it('caps the whole result with the statement LIMIT', () => {
    expect(found('FIND {deal} RETURNING Opportunity(Name ORDER BY Name), Task(Subject) LIMIT 2')).toEqual([
      'Opportunity:Big Deal',
      'Opportunity:Media Deal',
    ]);
  });

  it('leaves soft-deleted records out', () => {
    expect(found('FIND {gone} RETURNING Account(Name)')).toEqual([]);
  });

  it('accepts WITH clauses and UPDATE TRACKING', () => {
    expect(
      found(
        "FIND {acme} RETURNING Account(Name) WITH METADATA = 'LABELS' WITH SNIPPET (target_length=120) LIMIT 5 UPDATE TRACKING",
      ),
    ).toEqual(['Account:Acme']);
  });
});

describe('search groups', () => {
  it('limits IN NAME FIELDS to name fields', () => {
    expect(found('FIND {acme} IN NAME FIELDS RETURNING Account(Name), Contact(Name)')).toEqual([
      'Account:Acme',
    ]);
  });

  it('limits IN EMAIL FIELDS to email fields and matches a whole address', () => {
    expect(found('FIND {jo@acme.com} IN EMAIL FIELDS RETURNING Account(Name), Contact(Name)')).toEqual([
      'Contact:Jo Smith',
    ]);
    expect(found('FIND {Smith} IN EMAIL FIELDS RETURNING Contact(Name)')).toEqual([]);
  });

  it('matches phone numbers by their digits IN PHONE FIELDS', () => {
    expect(found('FIND {4155551212} IN PHONE FIELDS RETURNING Account(Name), Contact(Name)')).toEqual([
      'Account:Acme',
    ]);
    expect(found('FIND {555} IN PHONE FIELDS RETURNING Account(Name), Contact(Name)')).toEqual([
      'Account:Acme',
      'Contact:Jo Smith',
    ]);
  });
});

describe('search terms', () => {
  it.each([
    ['FIND {glo*} RETURNING Account(Name)', ['Account:Globex']],
    ['FIND {gl?bex} RETURNING Account(Name)', ['Account:Globex']],
    ['FIND {GLOBEX} RETURNING Account(Name)', ['Account:Globex']],
    ['FIND {glob} RETURNING Account(Name)', []],
    ['FIND {"Jo Smith"} RETURNING Contact(Name)', ['Contact:Jo Smith']],
    ['FIND {"Smith Jo"} RETURNING Contact(Name)', []],
    ['FIND {Jo Smith} RETURNING Contact(Name)', ['Contact:Jo Smith']],
    ['FIND {Jo AND Power} RETURNING Contact(Name)', []],
    ['FIND {Jo OR Max} RETURNING Contact(Name ORDER BY Name)', ['Contact:Jo Smith', 'Contact:Max Power']],
    [
      'FIND {deal AND NOT big} RETURNING Opportunity(Name ORDER BY Name)',
      ['Opportunity:Media Deal', 'Opportunity:Small Deal'],
    ],
    [
      'FIND {(big OR small) AND deal} RETURNING Opportunity(Name ORDER BY Name)',
      ['Opportunity:Big Deal', 'Opportunity:Small Deal'],
    ],
  ])('%s finds %j', (sosl, expected) => {
    expect(found(sosl)).toEqual(expected);
  });

  it('matches punctuated terms as a sequence of words and honours escapes', () => {
    const org = new TestOrgData();
    org.insert('Account', { Name: 'Acme-Corp Europe' });
    org.insert('Account', { Name: 'Corp Acme' });
    expect(found('FIND {acme-corp} RETURNING Account(Name)', org)).toEqual(['Account:Acme-Corp Europe']);
    expect(found(String.raw`FIND {acme\-corp} RETURNING Account(Name)`, org)).toEqual([
      'Account:Acme-Corp Europe',
    ]);
  });
});

describe('SOSL errors', () => {
  it('requires braces around the search term, in Salesforce words', () => {
    const expected = {
      errorCode: 'MALFORMED_SEARCH',
      message: 'No search term found. The search term must be enclosed in braces.',
    };
    expect(failure('FIND Acme RETURNING Account')).toEqual(expected);
    expect(failure('FIND {Acme RETURNING Account')).toEqual(expected);
  });

  it('rejects a search term of one character', () => {
    expect(failure('FIND {a*} RETURNING Account')).toEqual({
      errorCode: 'INVALID_SEARCH',
      message: 'search term must be longer than one character',
    });
  });

  it('rejects unknown objects and fields as SOQL does', () => {
    expect(failure('FIND {acme} RETURNING Foo(Name)').errorCode).toBe('INVALID_TYPE');
    expect(failure('FIND {acme} RETURNING Account(Idx)')).toMatchObject({ errorCode: 'INVALID_FIELD' });
    expect(failure('FIND {acme} RETURNING Account(Idx)').message).toMatch(
      /No such column 'Idx' on entity 'Account'/,
    );
  });

  it('rejects malformed clauses as MALFORMED_SEARCH', () => {
    expect(failure('FIND {acme} RETURNING Account(Name WHERE)').errorCode).toBe('MALFORMED_SEARCH');
    expect(failure('FIND {acme} IN EVERY FIELDS')).toEqual({
      errorCode: 'MALFORMED_SEARCH',
      message:
        "\nFIND {acme} IN EVERY FIELDS\n               ^\nERROR at Row:1:Column:16\nunexpected token: 'EVERY'",
    });
    expect(failure('FIND {acme} BOGUS').message).toMatch(/unexpected token: 'BOGUS'$/);
    expect(failure('SEARCH {acme}')).toEqual({
      errorCode: 'MALFORMED_SEARCH',
      message: "unexpected token: 'SEARCH'",
    });
  });
});
