import { describe, expect, it } from 'vitest';
import {
  dateParser,
  inferType,
  parseBoolean,
  parseIsoTimestamp,
  parseNumber,
} from '../../../pipelines/io/parse-values.ts';

describe('parse-values', () => {
  it('reads booleans written yes/no, TRUE/FALSE and 0/1', () => {
    expect(['yes', 'No', 'TRUE', 'false', '1', '0', 'Y', 'f'].map((v) => parseBoolean(v))).toEqual([
      true,
      false,
      true,
      false,
      true,
      false,
      true,
      false,
    ]);
    expect(parseBoolean('maybe')).toBeUndefined();
    expect(parseBoolean('1', false)).toBeUndefined();
  });

  it('reads numbers and refuses text', () => {
    expect(parseNumber(' 12.5 ')).toBe(12.5);
    expect(parseNumber('-3e2')).toBe(-300);
    expect(parseNumber('.5')).toBe(0.5);
    expect(parseNumber('12a')).toBeUndefined();
    expect(parseNumber('')).toBeUndefined();
  });

  it('reads ISO dates as UTC epoch ms', () => {
    expect(parseIsoTimestamp('2024-03-01')).toBe(Date.UTC(2024, 2, 1));
    expect(parseIsoTimestamp('2024-03-01 10:30:00')).toBe(Date.UTC(2024, 2, 1, 10, 30));
    expect(parseIsoTimestamp('2024-03-01T10:30:00+02:00')).toBe(Date.UTC(2024, 2, 1, 8, 30));
    expect(parseIsoTimestamp('01-03-2024')).toBeUndefined();
  });

  it('reads dates in an explicit format and rejects impossible ones', () => {
    const dmy = dateParser('DD-MM-YYYY');
    expect(dmy('05-03-2024')).toBe(Date.UTC(2024, 2, 5));
    expect(dmy('31-02-2024')).toBeUndefined();
    expect(dmy('2024-03-05')).toBeUndefined();
    const strp = dateParser('%d/%m/%Y %H:%M');
    expect(strp('05/03/2024 17:45')).toBe(Date.UTC(2024, 2, 5, 17, 45));
    expect(strp('05/03/2024 25:45')).toBeUndefined();
  });

  it('infers the narrowest type', () => {
    expect(inferType(['yes', 'no', null])).toBe('boolean');
    expect(inferType(['0', '1', '1'])).toBe('numeric');
    expect(inferType(['1.5', null, '-2'])).toBe('numeric');
    expect(inferType(['2024-01-01', '2024-02-01 10:00'])).toBe('timestamp');
    expect(inferType(['a', '1'])).toBe('categorical');
    expect(inferType([null, null])).toBe('categorical');
  });
});

describe('parse-values: impossible and stray values', () => {
  it('an impossible ISO date or time is not a date', () => {
    expect(parseIsoTimestamp('2024-02-30')).toBeUndefined();
    expect(parseIsoTimestamp('2023-02-29')).toBeUndefined();
    expect(parseIsoTimestamp('2024-02-29')).toBe(Date.UTC(2024, 1, 29));
    expect(parseIsoTimestamp('2024-13-01')).toBeUndefined();
    expect(parseIsoTimestamp('2024-01-01 24:10')).toBeUndefined();
  });

  it('a numeric column stays numeric with at most 1 % of cells that are not numbers', () => {
    const values = Array.from({ length: 200 }, (_, i) => String(i));
    expect(inferType([...values.slice(0, 198), 'NaN', '1,5'])).toBe('numeric');
    expect(inferType([...values.slice(0, 197), 'NaN', '1,5', '0x1F'])).toBe('categorical');
  });
});
