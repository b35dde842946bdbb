import { describe, expect, it } from 'vitest';
import { selectColumns } from './select-columns.js';

describe('selectColumns', () => {
  it('reads field paths in order', () => {
    expect(selectColumns('SELECT Id, Name, Owner.Profile.Name FROM Account')).toEqual([
      'Id',
      'Name',
      'Owner.Profile.Name',
    ]);
    expect(selectColumns("select id,\n  name\nfrom account where name = 'a, b FROM c'")).toEqual([
      'id',
      'name',
    ]);
  });

  it('skips child subqueries and does not stop at a FROM inside them', () => {
    expect(selectColumns('SELECT Id, (SELECT Id, Name FROM Contacts), Name FROM Account')).toEqual([
      'Id',
      'Name',
    ]);
  });

  it('names aggregates by alias or as expr0, expr1... counting only unaliased ones', () => {
    expect(
      selectColumns('SELECT Name, MAX(Amount), MIN(Amount) min, SUM(Amount) FROM Opportunity GROUP BY Name'),
    ).toEqual(['Name', 'expr0', 'min', 'expr1']);
    expect(selectColumns('SELECT Name n, COUNT(Id) FROM Account GROUP BY Name')).toEqual(['n', 'expr0']);
    expect(selectColumns('SELECT COUNT() FROM Account')).toEqual([]);
  });

  it('keeps the field of toLabel, convertCurrency and FORMAT', () => {
    expect(
      selectColumns('SELECT toLabel(Status), convertCurrency(Amount), FORMAT(CloseDate) d FROM Opportunity'),
    ).toEqual(['Status', 'Amount', 'd']);
  });

  it('gives up on FIELDS(), TYPEOF and non-SELECT text', () => {
    expect(selectColumns('SELECT FIELDS(STANDARD) FROM Account')).toBeUndefined();
    expect(selectColumns('SELECT TYPEOF What WHEN Account THEN Name END FROM Event')).toBeUndefined();
    expect(selectColumns('FIND {x}')).toBeUndefined();
  });
});
