import { describe, expect, it } from 'vitest';
import { caretMessage, SoqlError } from './errors.js';
import { executeSoql } from './execute.js';
import { seedOrg, TEST_OPTIONS } from './test-support.js';

const { data } = seedOrg();

function failure(soql: string): { errorCode: string; message: string } {
  try {
    executeSoql(soql, data, TEST_OPTIONS);
  } catch (error) {
    if (!(error instanceof SoqlError)) throw error;
    return { errorCode: error.errorCode, message: error.message };
  }
  throw new Error(`expected ${soql} to fail`);
}

const NO_SUCH_COLUMN_TAIL =
  "If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.";

describe('the caret form', () => {
  it('echoes the line, puts a caret under the position and counts rows and columns from 1', () => {
    expect(caretMessage('SELECT Idx FROM Account', 7, 'text')).toBe(
      '\nSELECT Idx FROM Account\n       ^\nERROR at Row:1:Column:8\ntext',
    );
    expect(caretMessage('SELECT Id\nFROM Account\nWHERE Idx = 1', 29, 'text')).toBe(
      '\nWHERE Idx = 1\n      ^\nERROR at Row:3:Column:7\ntext',
    );
  });

  it('echoes a window of 40 characters either side on long lines', () => {
    const line = `${'a'.repeat(100)}X${'b'.repeat(100)}`;
    expect(caretMessage(line, 100, 'text')).toBe(
      `\n${'a'.repeat(40)}X${'b'.repeat(39)}\n${' '.repeat(40)}^\nERROR at Row:1:Column:101\ntext`,
    );
  });
});

describe('MALFORMED_QUERY', () => {
  it('words a bad first token as Salesforce does, without the caret form', () => {
    expect(failure('invalid')).toEqual({
      errorCode: 'MALFORMED_QUERY',
      message: "unexpected token: 'invalid'",
    });
  });

  it('points at the unexpected token inside a query', () => {
    expect(failure('SELECT Id, FROM Account')).toEqual({
      errorCode: 'MALFORMED_QUERY',
      message: "\nSELECT Id, FROM Account\n           ^\nERROR at Row:1:Column:12\nunexpected token: 'FROM'",
    });
  });

  it('points at the occurrence of a repeated token where parsing actually fails', () => {
    expect(failure("SELECT Id, Name FROM Account WHERE Name = 'x' LIMIT 5 Name")).toEqual({
      errorCode: 'MALFORMED_QUERY',
      message:
        "\ne FROM Account WHERE Name = 'x' LIMIT 5 Name\n" +
        `${' '.repeat(40)}^\nERROR at Row:1:Column:55\nunexpected token: 'Name'`,
    });
  });

  it('rejects two conditions without AND or OR between them', () => {
    expect(failure("SELECT Id, Name FROM Account WHERE Name = 'x' Name = 'y'")).toEqual({
      errorCode: 'MALFORMED_QUERY',
      message:
        "\n Id, Name FROM Account WHERE Name = 'x' Name = 'y'\n" +
        `${' '.repeat(40)}^\nERROR at Row:1:Column:47\nunexpected token: 'Name'`,
    });
    expect(failure("SELECT Id FROM Account WHERE Name = 'x' (Name = 'y')").message).toMatch(
      /unexpected token: '\('$/,
    );
  });

  it("reports a query that ends too early as '<EOF>'", () => {
    expect(failure('SELECT Id FROM Account WHERE')).toEqual({
      errorCode: 'MALFORMED_QUERY',
      message:
        "\nSELECT Id FROM Account WHERE\n                            ^\nERROR at Row:1:Column:29\nunexpected token: '<EOF>'",
    });
  });

  it('rejects AND and OR mixed without parentheses at the operator that breaks the rule', () => {
    expect(failure("SELECT Id FROM Account WHERE Name = 'a' AND Name = 'b' OR Name = 'c'")).toEqual({
      errorCode: 'MALFORMED_QUERY',
      message:
        "\nAccount WHERE Name = 'a' AND Name = 'b' OR Name = 'c'\n" +
        `${' '.repeat(40)}^\nERROR at Row:1:Column:56\nunexpected token: 'OR'`,
    });
  });

  it('rejects NOT that does not start an expression', () => {
    expect(failure("SELECT Id FROM Account WHERE Name != null AND NOT Name = 'x'")).toEqual({
      errorCode: 'MALFORMED_QUERY',
      message:
        "\n Id FROM Account WHERE Name != null AND NOT Name = 'x'\n" +
        `${' '.repeat(40)}^\nERROR at Row:1:Column:47\nunexpected token: 'NOT'`,
    });
    expect(failure("SELECT Id FROM Account WHERE NOT Name = 'x' AND Name = 'y'").message).toMatch(
      /unexpected token: 'AND'$/,
    );
  });

  it('rejects an illegal escape in a string literal, pointing at the literal', () => {
    expect(failure(String.raw`SELECT Id FROM Account WHERE Name = 'a\qb'`)).toEqual({
      errorCode: 'MALFORMED_QUERY',
      message: String.raw`
SELECT Id FROM Account WHERE Name = 'a\qb'
                                    ^
ERROR at Row:1:Column:37
Invalid string literal 'a\qb'. Illegal character sequence '\q' in string literal.`,
    });
  });

  it('rejects Apex bind variables', () => {
    expect(failure('SELECT Id FROM Account WHERE Id IN :ids').message).toMatch(
      /Bind variables only allowed in Apex code$/,
    );
  });

  it('rejects a field alias outside aggregate queries', () => {
    expect(failure('SELECT Name n FROM Account')).toEqual({
      errorCode: 'MALFORMED_QUERY',
      message:
        '\nSELECT Name n FROM Account\n            ^\nERROR at Row:1:Column:13\nOnly aggregate expressions use field aliasing',
    });
  });

  it('rejects semi-joins below the top level of WHERE', () => {
    expect(
      failure("SELECT Id FROM Account WHERE Name = 'x' OR Id IN (SELECT AccountId FROM Contact)"),
    ).toEqual({
      errorCode: 'MALFORMED_QUERY',
      message:
        "\n FROM Account WHERE Name = 'x' OR Id IN (SELECT AccountId FROM Contact)\n" +
        `${' '.repeat(40)}^\nERROR at Row:1:Column:50\nSemi join sub-selects are only allowed at the top level WHERE expressions and not in nested WHERE expressions.`,
    });
  });

  it('requires grouping or aggregation for every selected field of an aggregate query', () => {
    expect(failure('SELECT Name, COUNT(Id) FROM Account')).toEqual({
      errorCode: 'MALFORMED_QUERY',
      message:
        '\nSELECT Name, COUNT(Id) FROM Account\n       ^\nERROR at Row:1:Column:8\nField must be grouped or aggregated: Name',
    });
  });

  it('requires LIMIT 200 or less with FIELDS(ALL) and FIELDS(CUSTOM)', () => {
    const expected = {
      errorCode: 'MALFORMED_QUERY',
      message: 'The SOQL FIELDS function must have a LIMIT of at most 200',
    };
    expect(failure('SELECT FIELDS(ALL) FROM Account')).toEqual(expected);
    expect(failure('SELECT FIELDS(CUSTOM) FROM Account LIMIT 201')).toEqual(expected);
  });
});

describe('INVALID_FIELD', () => {
  it('names an unknown column in the caret form', () => {
    expect(failure('SELECT Idx FROM Account')).toEqual({
      errorCode: 'INVALID_FIELD',
      message: `\nSELECT Idx FROM Account\n       ^\nERROR at Row:1:Column:8\nNo such column 'Idx' on entity 'Account'. ${NO_SUCH_COLUMN_TAIL}`,
    });
  });

  it('names the parent entity for an unknown field behind a relationship', () => {
    expect(failure('SELECT Id, Account.Foo__c FROM Contact')).toEqual({
      errorCode: 'INVALID_FIELD',
      message: `\nSELECT Id, Account.Foo__c FROM Contact\n           ^\nERROR at Row:1:Column:12\nNo such column 'Foo__c' on entity 'Account'. ${NO_SUCH_COLUMN_TAIL}`,
    });
  });

  it('finds the unknown column on the right row of a multi-line query', () => {
    expect(failure('SELECT Id\nFROM Account\nWHERE Idx = 1')).toEqual({
      errorCode: 'INVALID_FIELD',
      message: `\nWHERE Idx = 1\n      ^\nERROR at Row:3:Column:7\nNo such column 'Idx' on entity 'Account'. ${NO_SUCH_COLUMN_TAIL}`,
    });
  });

  it('points into the subquery that has the unknown column', () => {
    expect(failure('SELECT Name, (SELECT Name, Foo FROM Contacts) FROM Account').message).toBe(
      `\nSELECT Name, (SELECT Name, Foo FROM Contacts) FROM Account\n                           ^\nERROR at Row:1:Column:28\nNo such column 'Foo' on entity 'Contact'. ${NO_SUCH_COLUMN_TAIL}`,
    );
  });

  it('names an unknown parent relationship', () => {
    expect(failure('SELECT Foo.Name FROM Contact')).toEqual({
      errorCode: 'INVALID_FIELD',
      message:
        "\nSELECT Foo.Name FROM Contact\n       ^\nERROR at Row:1:Column:8\nDidn't understand relationship 'Foo' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.",
    });
  });

  it.each([
    ["AnnualRevenue = '5'", 'AnnualRevenue', 'double and should not'],
    ['Name = 5', 'Name', 'string and should'],
    ["Active__c = 'true'", 'Active__c', 'boolean and should not'],
    ['CreatedDate = 2024-01-01', 'CreatedDate', 'dateTime and should not'],
    ['AnnualRevenue = TODAY', 'AnnualRevenue', 'double and should not'],
  ])('rejects a value of the wrong type: %s', (where, field, type) => {
    expect(failure(`SELECT Id FROM Account WHERE ${where}`)).toEqual({
      errorCode: 'INVALID_FIELD',
      message: `\nSELECT Id FROM Account WHERE ${where}\n${' '.repeat(29)}^\nERROR at Row:1:Column:30\nvalue of filter criterion for field '${field}' must be of type ${type} be enclosed in quotes`,
    });
  });

  it('rejects a dateTime value on a date field', () => {
    expect(failure('SELECT Id FROM Opportunity WHERE CloseDate = 2024-01-01T00:00:00Z').message).toMatch(
      /value of filter criterion for field 'CloseDate' must be of type date and should not be enclosed in quotes$/,
    );
  });

  it('rejects filtering on a field that is not filterable', () => {
    expect(failure("SELECT Id FROM Account WHERE Description = 'x'").message).toMatch(
      /\nERROR at Row:1:Column:30\nfield 'Description' can not be filtered in query call$/,
    );
  });

  it('rejects a field selected twice, FIELDS() included', () => {
    expect(failure('SELECT Id, Name, id FROM Account')).toEqual({
      errorCode: 'INVALID_FIELD',
      message:
        '\nSELECT Id, Name, id FROM Account\n       ^\nERROR at Row:1:Column:8\nduplicate field selected: id',
    });
    expect(failure('SELECT Id, FIELDS(STANDARD) FROM Account').message).toMatch(
      /duplicate field selected: Id$/,
    );
  });

  it('rejects a TYPEOF of a relationship that is also selected as a path', () => {
    expect(failure('SELECT What.Name, TYPEOF What WHEN Account THEN Name END FROM Task').message).toMatch(
      /duplicate field selected: What$/,
    );
  });

  it('rejects SUM and AVG of non-numeric fields', () => {
    expect(failure('SELECT SUM(Name) FROM Account').message).toMatch(
      /field Name does not support aggregate operator SUM$/,
    );
    expect(failure('SELECT SUM(Name) FROM Account').errorCode).toBe('INVALID_FIELD');
  });
});

describe('INVALID_TYPE', () => {
  it('names an unknown object in the caret form', () => {
    expect(failure('SELECT Id FROM Foo')).toEqual({
      errorCode: 'INVALID_TYPE',
      message:
        "\nSELECT Id FROM Foo\n               ^\nERROR at Row:1:Column:16\nsObject type 'Foo' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.",
    });
  });

  it('names an unknown child relationship in a subquery', () => {
    expect(failure('SELECT Id, (SELECT Id FROM Foos) FROM Account')).toEqual({
      errorCode: 'INVALID_TYPE',
      message:
        "\nSELECT Id, (SELECT Id FROM Foos) FROM Account\n                           ^\nERROR at Row:1:Column:28\nDidn't understand relationship 'Foos' in FROM part of query call. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.",
    });
  });
});

describe('INVALID_QUERY_FILTER_OPERATOR', () => {
  it('rejects an id that is not one', () => {
    expect(failure("SELECT Id FROM Account WHERE Id = 'abc'")).toEqual({
      errorCode: 'INVALID_QUERY_FILTER_OPERATOR',
      message:
        "\nSELECT Id FROM Account WHERE Id = 'abc'\n                                  ^\nERROR at Row:1:Column:35\ninvalid ID field: abc",
    });
  });

  it.each([
    ["SELECT Id FROM Account WHERE AnnualRevenue LIKE '5%'", 'invalid operator on double field'],
    ["SELECT Id FROM Gadget__c WHERE Colors__c LIKE 'Red%'", 'invalid operator on multipicklist field'],
    ["SELECT Id FROM Gadget__c WHERE Colors__c > 'Red'", 'invalid operator on multipicklist field'],
    [
      "SELECT Id FROM Account WHERE Industry INCLUDES ('Energy')",
      'includes or excludes operator only valid on multipicklist field',
    ],
  ])('rejects an operator the field type does not support: %s', (soql, text) => {
    const { errorCode, message } = failure(soql);
    expect(errorCode).toBe('INVALID_QUERY_FILTER_OPERATOR');
    expect(message.endsWith(`\n${text}`)).toBe(true);
  });
});

describe('NUMBER_OUTSIDE_VALID_RANGE', () => {
  it('rejects an OFFSET above 2000', () => {
    expect(failure('SELECT Id FROM Account OFFSET 2001')).toEqual({
      errorCode: 'NUMBER_OUTSIDE_VALID_RANGE',
      message: 'Maximum SOQL offset allowed for apiName Account is 2000',
    });
  });
});

describe('SoqlError', () => {
  it('is an Error with a name and the errorCode', () => {
    const error = new SoqlError('MALFORMED_QUERY', 'x');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('SoqlError');
    expect(error.errorCode).toBe('MALFORMED_QUERY');
  });
});
