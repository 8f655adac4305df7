import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { collect, parseFloatArg, parseIntArg } from './values.js';

describe('parseIntArg', () => {
  it('accepts integers inside the range', () => {
    expect(parseIntArg({ min: 1 })('32')).toBe(32);
    expect(parseIntArg()('-2')).toBe(-2);
  });
  it('rejects non-integers and values out of range, naming the bound', () => {
    expect(() => parseIntArg()('3.5')).toThrow(InvalidArgumentError);
    expect(() => parseIntArg()('abc')).toThrow('Expected an integer.');
    expect(() => parseIntArg({ min: 1 })('0')).toThrow('Expected an integer >= 1.');
  });
});

describe('parseFloatArg', () => {
  it('parses numbers such as 1e-6', () => {
    expect(parseFloatArg({ min: 0 })('1e-6')).toBe(1e-6);
  });
  it('rejects NaN, empty and out-of-range values', () => {
    expect(() => parseFloatArg()('')).toThrow('Expected a number.');
    expect(() => parseFloatArg()('NaN')).toThrow('Expected a number.');
    expect(() => parseFloatArg({ above: 0, max: 1 })('0')).toThrow('Expected a number > 0 and <= 1.');
    expect(() => parseFloatArg({ above: 0, max: 1 })('1.5')).toThrow('<= 1');
  });
});

describe('collect', () => {
  it('accumulates repeated or variadic values', () => {
    const parse = collect(parseIntArg());
    expect(parse('2', parse('1', undefined))).toEqual([1, 2]);
  });
});
