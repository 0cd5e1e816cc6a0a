import { describe, expect, it } from 'vitest';
import { columnsOfPage, rowsOfPage } from '../../../src/sources/athena/result-rows.js';

const page = (rows: Array<Array<string | null>>) => ({
  ResultSet: {
    ResultSetMetadata: {
      ColumnInfo: [
        { Name: 'part_name', Type: 'varchar' },
        { Name: 'entries', Type: 'bigint' },
      ],
    },
    Rows: rows.map((row) => ({ Data: row.map((value) => (value === null ? {} : { VarCharValue: value })) })),
  },
});

describe('rowsOfPage', () => {
  it('skips the header row of the first page and reads a Data entry without VarCharValue as NULL', () => {
    const first = page([
      ['part_name', 'entries'],
      ['lb', '241'],
      [null, '3'],
    ]);

    expect(rowsOfPage(first, columnsOfPage(first), true)).toEqual([
      { part_name: 'lb', entries: '241' },
      { part_name: null, entries: '3' },
    ]);
  });

  it('keeps the first row of a later page, and of a first page that does not start with the header', () => {
    const later = page([
      ['part_name', 'entries'],
      ['lb', '1'],
    ]);
    const headless = page([['lb', '1']]);

    expect(rowsOfPage(later, ['part_name', 'entries'], false)).toHaveLength(2);
    expect(rowsOfPage(headless, ['part_name', 'entries'], true)).toEqual([{ part_name: 'lb', entries: '1' }]);
  });
});
