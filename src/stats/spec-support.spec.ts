import { expectAllClose, expectClose } from '../../test/helpers/stats-support.js';

describe('expectClose', () => {
  it('accepts a relative error within the tolerance', () => {
    expect(() => expectClose(1.0000000001, 1)).not.toThrow();
  });

  it('rejects a relative error beyond the tolerance', () => {
    expect(() => expectClose(1.00000001, 1)).toThrow(/relative error/);
  });

  it('compares small values relatively, not absolutely', () => {
    expect(() => expectClose(3.7e-9, 3.8e-9)).toThrow();
  });

  it('uses the absolute floor for an expected 0', () => {
    expect(() => expectClose(1e-22, 0)).not.toThrow();
    expect(() => expectClose(1e-6, 0)).toThrow();
  });

  it('rejects null, undefined, NaN and Infinity', () => {
    expect(() => expectClose(null, 1)).toThrow(/finite number/);
    expect(() => expectClose(undefined, 1)).toThrow(/finite number/);
    expect(() => expectClose(NaN, 1)).toThrow(/finite number/);
    expect(() => expectClose(Infinity, 1)).toThrow(/finite number/);
  });

  it('expectAllClose rejects arrays of different length', () => {
    expect(() => expectAllClose([1], [1, 2])).toThrow(/2 values/);
    expect(() => expectAllClose(null, [1])).toThrow();
  });
});
