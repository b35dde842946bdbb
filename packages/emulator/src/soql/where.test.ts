import { describe, expect, it } from 'vitest';
import type { OrgData } from '../schema/types.js';
import { executeSoql } from './execute.js';
import type { SoqlOptions } from './options.js';
import { seedOrg, TEST_OPTIONS, TestOrgData } from './test-support.js';

const { data, ids } = seedOrg();
const id = (name: string): string => ids[name] ?? '';

/** The `field` of every matched record, in query order. */
function values(
  soql: string,
  options: SoqlOptions = TEST_OPTIONS,
  org: OrgData = data,
  field = 'Name',
): unknown[] {
  const result = executeSoql(soql, org, options);
  return result.rows(0, result.size).map((row) => row[result.columns.indexOf(field)]);
}

const accounts = (where: string, options?: SoqlOptions): unknown[] =>
  values(`SELECT Name FROM Account WHERE ${where} ORDER BY Name`, options);

describe('comparison operators and null', () => {
  it.each([
    ['AnnualRevenue = 1000', ['Globex']],
    ['AnnualRevenue != 1000', ['Acme', 'initech']],
    ['AnnualRevenue > 1000', ['Acme']],
    ['AnnualRevenue >= 1000', ['Acme', 'Globex']],
    ['AnnualRevenue < 5000', ['Globex']],
    ['AnnualRevenue <= 5000', ['Acme', 'Globex']],
    ['AnnualRevenue <> 5000', ['Globex', 'initech']],
    ['AnnualRevenue = null', ['initech']],
    ['AnnualRevenue != null', ['Acme', 'Globex']],
    ['AnnualRevenue > null', []],
    ['AnnualRevenue >= 999.5', ['Acme', 'Globex']],
    ['NumberOfEmployees = 50', ['Acme']],
  ])('%s matches %j (null is only equal to null and always != a value)', (where, expected) => {
    expect(accounts(where)).toEqual(expected);
  });

  it.each([
    ["Name = 'ACME'", ['Acme']],
    ["Name != 'acme'", ['Globex', 'initech']],
    ["Name < 'b'", ['Acme']],
    ["Name >= 'Globex'", ['Globex', 'initech']],
    ["Industry = 'energy'", ['Acme']],
    ["Industry != 'Energy'", ['Globex', 'initech']],
  ])('compares text case-insensitively: %s', (where, expected) => {
    expect(accounts(where)).toEqual(expected);
  });

  it.each([
    ['Active__c = true', ['Acme']],
    ['Active__c = FALSE', ['Globex']],
    ['Active__c != true', ['Globex', 'initech']],
  ])('compares booleans: %s', (where, expected) => {
    expect(accounts(where)).toEqual(expected);
  });

  it('compares decimals and negative numbers', () => {
    expect(values('SELECT Name FROM Gadget__c WHERE Price__c = 10.5')).toEqual(['Red-Blue']);
    expect(values('SELECT Name FROM Gadget__c WHERE Price__c > -1 ORDER BY Price__c')).toEqual([
      'Triple',
      'Red-Blue',
      'Green',
    ]);
  });
});

describe('LIKE', () => {
  it.each([
    ["Name LIKE 'g%'", ['Globex']],
    ["Name LIKE '%E%'", ['Acme', 'Globex', 'initech']],
    ["Name LIKE '_lobex'", ['Globex']],
    ["Name LIKE 'acme'", ['Acme']],
    ["Name LIKE 'acm'", []],
    ["Industry LIKE 'Ener%'", ['Acme']],
  ])('%s matches %j, case-insensitively over the whole value', (where, expected) => {
    expect(accounts(where)).toEqual(expected);
  });

  it('matches escaped % and _ literally', () => {
    const org = new TestOrgData();
    for (const name of ['100% Cotton', '100X Cotton', 'under_score', 'underXscore'])
      org.insert('Account', { Name: name });
    const like = (pattern: string): unknown[] =>
      values(`SELECT Name FROM Account WHERE Name LIKE '${pattern}' ORDER BY Name`, TEST_OPTIONS, org);
    expect(like(String.raw`100\%%`)).toEqual(['100% Cotton']);
    expect(like('100%')).toEqual(['100% Cotton', '100X Cotton']);
    expect(like(String.raw`under\_score`)).toEqual(['under_score']);
    expect(like('under_score')).toEqual(['under_score', 'underXscore']);
  });
});

describe('IN and NOT IN', () => {
  it.each([
    ["Industry IN ('Energy', 'Media')", ['Acme', 'Globex']],
    ["Industry IN ('MEDIA')", ['Globex']],
    ["Industry NOT IN ('Energy')", ['Globex', 'initech']],
    ["Industry IN ('Energy', null)", ['Acme', 'initech']],
    ["Industry NOT IN ('Energy', null)", ['Globex']],
    ['AnnualRevenue IN (1000, 5000)', ['Acme', 'Globex']],
  ])('%s matches %j', (where, expected) => {
    expect(accounts(where)).toEqual(expected);
  });

  it('runs semi-joins and anti-joins once against the inner object', () => {
    expect(accounts('Id IN (SELECT AccountId FROM Contact WHERE Email != null)')).toEqual(['Acme', 'Globex']);
    expect(accounts("Id NOT IN (SELECT AccountId FROM Opportunity WHERE StageName = 'Closed Lost')")).toEqual(
      ['Acme', 'initech'],
    );
    expect(
      values("SELECT Name FROM Contact WHERE AccountId IN (SELECT Id FROM Account WHERE Industry = 'Media')"),
    ).toEqual(['Max Power']);
    expect(
      values(
        "SELECT Name FROM Contact WHERE AccountId NOT IN (SELECT Id FROM Account WHERE Industry = 'Media') ORDER BY Name",
      ),
    ).toEqual(['Ann Lee', 'Jo Smith', 'Orphan']);
  });

  it('combines a semi-join with other conditions of a top-level AND', () => {
    expect(
      accounts("Industry = 'Energy' AND Id IN (SELECT AccountId FROM Opportunity WHERE Amount > 1000)"),
    ).toEqual(['Acme']);
  });
});

describe('INCLUDES and EXCLUDES on multi-select picklists', () => {
  const gadgets = (where: string): unknown[] =>
    values(`SELECT Name FROM Gadget__c WHERE ${where} ORDER BY Name`);

  it.each([
    ["Colors__c INCLUDES ('Red')", ['Red-Blue', 'Triple']],
    ["Colors__c INCLUDES ('red')", ['Red-Blue', 'Triple']],
    ["Colors__c INCLUDES ('Red;Blue')", ['Red-Blue', 'Triple']],
    ["Colors__c INCLUDES ('Red;Green', 'Black')", ['Triple']],
    ["Colors__c INCLUDES ('Green', 'Black')", ['Green', 'Triple']],
    ["Colors__c EXCLUDES ('Red')", ['Green', 'Plain']],
    ["Colors__c EXCLUDES ('Red;Black')", ['Green', 'Plain', 'Red-Blue']],
    ["Colors__c = 'Blue;Red'", ['Red-Blue']],
    ["Colors__c = 'Red'", []],
    ["Colors__c != 'Green'", ['Plain', 'Red-Blue', 'Triple']],
    ['Colors__c = null', ['Plain']],
  ])("%s matches %j ('a;b' means both, a list means any)", (where, expected) => {
    expect(gadgets(where)).toEqual(expected);
  });
});

describe('AND, OR and NOT', () => {
  it.each([
    ["(Industry = 'Energy' OR Industry = 'Media') AND AnnualRevenue > 1000", ['Acme']],
    ["Industry = 'Energy' OR (Industry = 'Media' AND AnnualRevenue > 1000)", ['Acme']],
    ["Industry = 'Media' OR (Industry = 'Energy' AND AnnualRevenue > 1000)", ['Acme', 'Globex']],
    ["Name != null AND Name != 'Acme' AND Name != 'Globex'", ['initech']],
    ["Name = 'Acme' OR Name = 'Globex' OR Name = 'initech'", ['Acme', 'Globex', 'initech']],
    ["NOT Industry = 'Energy'", ['Globex', 'initech']],
    ["Name != null AND (NOT Industry = 'Media')", ['Acme', 'initech']],
    ["NOT (Industry = 'Energy' OR Industry = 'Media')", ['initech']],
    ["((Industry = 'Energy'))", ['Acme']],
    ["(NOT (Industry = 'Energy')) AND (AnnualRevenue > 0 OR AnnualRevenue = null)", ['Globex', 'initech']],
  ])('%s matches %j', (where, expected) => {
    expect(accounts(where)).toEqual(expected);
  });
});

describe('dates and datetimes', () => {
  const opportunities = (where: string): unknown[] =>
    values(`SELECT Name FROM Opportunity WHERE ${where} ORDER BY CloseDate`);

  it.each([
    ['CloseDate = 2024-02-29', ['No Amount']],
    ['CloseDate > 2024-03-01', ['Big Deal', 'Small Deal']],
    ['CloseDate = THIS_MONTH', ['Big Deal']],
    ['CloseDate < THIS_MONTH', ['Media Deal', 'No Amount']],
    ['CloseDate > THIS_MONTH', ['Small Deal']],
    ['CloseDate <= THIS_QUARTER', ['Media Deal', 'No Amount', 'Big Deal']],
    ['CloseDate >= NEXT_QUARTER', ['Small Deal']],
    ['CloseDate = NEXT_N_DAYS:30', ['Big Deal']],
    ['CloseDate = LAST_N_MONTHS:2', ['Media Deal', 'No Amount']],
    ['CloseDate IN (LAST_MONTH, NEXT_MONTH)', ['No Amount', 'Small Deal']],
    ['CloseDate != THIS_YEAR', []],
  ])('date field: %s matches %j (now is 2024-03-15)', (where, expected) => {
    expect(opportunities(where)).toEqual(expected);
  });

  it.each([
    ['CreatedDate > 2024-02-01T00:00:00Z', ['Acme']],
    ['CreatedDate >= 2024-02-01T00:00:00Z', ['Acme', 'Globex']],
    ['CreatedDate >= 2024-02-01T01:00:00+01:00', ['Acme', 'Globex']],
    ['CreatedDate < 2024-01-31T19:00:00-05:00', ['initech']],
    ['CreatedDate = 2024-03-10T09:00:00.000Z', ['Acme']],
    ['CreatedDate = THIS_YEAR', ['Acme', 'Globex']],
    ['CreatedDate = LAST_YEAR', ['initech']],
    ['CreatedDate = THIS_WEEK', ['Acme']],
    ['CreatedDate = LAST_N_DAYS:5', ['Acme']],
    ['CreatedDate < LAST_N_DAYS:5', ['Globex', 'initech']],
  ])('dateTime field: %s matches %j', (where, expected) => {
    expect(accounts(where)).toEqual(expected);
  });

  it('treats TODAY on a dateTime field as the whole UTC day', () => {
    const org = new TestOrgData();
    const stamps = [
      '2024-03-14T23:59:59.999+0000',
      '2024-03-15T00:00:00.000+0000',
      '2024-03-15T23:59:59.999+0000',
      '2024-03-16T00:00:00.000+0000',
    ];
    for (const stamp of stamps) org.insert('Account', { Name: stamp, CreatedDate: stamp });
    expect(
      values('SELECT Name FROM Account WHERE CreatedDate = TODAY ORDER BY Name', TEST_OPTIONS, org),
    ).toEqual(stamps.slice(1, 3));
    expect(values('SELECT Name FROM Account WHERE CreatedDate > TODAY', TEST_OPTIONS, org)).toEqual([
      stamps[3],
    ]);
  });

  it('filters on date functions', () => {
    expect(accounts('CALENDAR_YEAR(CreatedDate) = 2023')).toEqual(['initech']);
    expect(opportunities('CALENDAR_MONTH(CloseDate) = 2')).toEqual(['No Amount']);
    expect(opportunities('DAY_IN_WEEK(CloseDate) = 1')).toEqual(['Big Deal']);
    expect(accounts('DAY_ONLY(CreatedDate) = 2024-03-10')).toEqual(['Acme']);
  });
});

describe('ids and relationships in WHERE', () => {
  it('matches ids given in 15 or 18 characters, the 18-character form in any case', () => {
    const acme = id('acme');
    expect(accounts(`Id = '${acme.slice(0, 15)}'`)).toEqual(['Acme']);
    expect(accounts(`Id = '${acme.toLowerCase()}'`)).toEqual(['Acme']);
    expect(accounts(`Id IN ('${acme.slice(0, 15)}', '${id('globex')}')`)).toEqual(['Acme', 'Globex']);
    expect(values(`SELECT Name FROM Contact WHERE AccountId = '${acme.slice(0, 15)}' ORDER BY Name`)).toEqual(
      ['Ann Lee', 'Jo Smith'],
    );
    expect(accounts("Id = ''")).toEqual([]);
  });

  it('filters on parent fields, an empty lookup counting as null', () => {
    const contacts = (where: string): unknown[] =>
      values(`SELECT Name FROM Contact WHERE ${where} ORDER BY Name`);
    expect(contacts("Account.Industry = 'Energy'")).toEqual(['Ann Lee', 'Jo Smith']);
    expect(contacts("Account.Name != 'Acme'")).toEqual(['Max Power', 'Orphan']);
    expect(contacts("Account.Owner.Name = 'Second User'")).toEqual(['Max Power']);
    expect(contacts('Account.Name = null')).toEqual(['Orphan']);
  });

  it('filters on polymorphic parents by type and name', () => {
    const tasks = (where: string): unknown[] =>
      values(`SELECT Subject FROM Task WHERE ${where}`, TEST_OPTIONS, data, 'Subject');
    expect(tasks("What.Type = 'Opportunity'")).toEqual(['Follow up deal']);
    expect(tasks("What.Name LIKE 'Acme%'")).toEqual(['Call Acme']);
  });
});

describe('string literals in WHERE', () => {
  it('decodes escapes before comparing', () => {
    const org = new TestOrgData();
    for (const name of ["O'Brien", 'back\\slash', 'tab\there', 'café']) org.insert('Account', { Name: name });
    const match = (literal: string): unknown[] =>
      values(`SELECT Name FROM Account WHERE Name = '${literal}'`, TEST_OPTIONS, org);
    expect(match(String.raw`O\'Brien`)).toEqual(["O'Brien"]);
    expect(match(String.raw`back\\slash`)).toEqual(['back\\slash']);
    expect(match(String.raw`tab\there`)).toEqual(['tab\there']);
    expect(match(String.raw`caf\u00e9`)).toEqual(['café']);
  });
});

describe('scope, security and locking clauses', () => {
  it('limits USING SCOPE mine to records the running user owns', () => {
    expect(values('SELECT Name FROM Account USING SCOPE mine ORDER BY Name')).toEqual(['Acme', 'initech']);
    expect(
      values('SELECT Name FROM Account USING SCOPE mine', { ...TEST_OPTIONS, userId: id('second') }),
    ).toEqual(['Globex']);
    expect(values('SELECT Name FROM Account USING SCOPE everything ORDER BY Name')).toEqual([
      'Acme',
      'Globex',
      'initech',
    ]);
  });

  it.each([
    'SELECT Name FROM Account WITH SECURITY_ENFORCED ORDER BY Name',
    'SELECT Name FROM Account WITH USER_MODE ORDER BY Name',
    'SELECT Name FROM Account WITH SYSTEM_MODE ORDER BY Name',
    'SELECT Name FROM Account ORDER BY Name FOR VIEW',
    'SELECT Name FROM Account ORDER BY Name FOR REFERENCE',
    'SELECT Name FROM Account ORDER BY Name FOR UPDATE',
  ])('accepts %s and returns the same rows', (soql) => {
    expect(values(soql)).toEqual(['Acme', 'Globex', 'initech']);
  });
});
