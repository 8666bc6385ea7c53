import { describe, expect, it } from 'vitest';
import { seededRandom } from '#test-support/seeded-random.js';
import { csvCell, csvTable } from './csv.js';

/** An RFC 4180 reader, written here as the oracle: quoted fields, doubled quotes, CRLF rows. */
function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  const endField = () => {
    row.push(field);
    field = '';
  };
  while (i < text.length) {
    const c = text[i];
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"';
      i += 2;
    } else if (quoted && c === '"') {
      quoted = false;
      i++;
    } else if (quoted) {
      field += c;
      i++;
    } else if (c === '"' && field === '') {
      quoted = true;
      i++;
    } else if (c === ',') {
      endField();
      i++;
    } else if (c === '\r' && text[i + 1] === '\n') {
      endField();
      rows.push(row);
      row = [];
      i += 2;
    } else {
      field += c;
      i++;
    }
  }
  expect(field).toBe('');
  expect(row).toEqual([]);
  return rows;
}

describe('CSV cells', () => {
  it.each([
    ['=HYPERLINK("http://evil.example","click")', `"'=HYPERLINK(""http://evil.example"",""click"")"`],
    ["+cmd|' /C calc'!A0", `"'+cmd|' /C calc'!A0"`],
    ['-2+3', `"'-2+3"`],
    ['@SUM(A1:A2)', `"'@SUM(A1:A2)"`],
    ['\t=1', `"'\t=1"`],
    ['\r=1', `"'\r=1"`],
    ['＝1+1', `"'＝1+1"`],
    ['plain', 'plain'],
    ['a, b', '"a, b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    [' padded', '" padded"'],
  ])('%j becomes %s', (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it('writes numbers, booleans and absent values as such', () => {
    expect([csvCell(-5), csvCell(2.5), csvCell(Number.NaN), csvCell(true), csvCell(null), csvCell(undefined)]).toEqual([
      '-5',
      '2.5',
      '',
      'true',
      '',
      '',
    ]);
  });

  it('reads back as the values, with formula starts neutralized (fuzz)', () => {
    const alphabet = ['=', '+', '-', '@', '\t', '\r', '\n', '"', ',', ' ', 'a', 'Z', '1', 'é', '＝', "'"];
    for (let seed = 1; seed <= 300; seed++) {
      const next = seededRandom(seed);
      const values = Array.from({ length: 1 + Math.floor(next() * 4) }, () =>
        Array.from({ length: Math.floor(next() * 8) }, () => alphabet[Math.floor(next() * alphabet.length)]).join(''),
      );
      const text = csvTable(
        values.map((_, i) => ({ header: `c${i}`, value: (row: string[]) => row[i] })),
        [values],
      );
      const [header, row] = readCsv(text);
      expect(header).toEqual(values.map((_, i) => `c${i}`));
      row?.forEach((cell, i) => {
        const value = values[i] ?? '';
        expect(cell).toBe(/^[=+\-@\t\r＝＋－＠]/.test(value) ? `'${value}` : value);
      });
    }
  });
});
