import { describe, expect, it } from 'vitest';
import { targetSize } from './prepare.ts';

describe('targetSize', () => {
  it('scales the longest side down to 2160 px and leaves smaller images alone', () => {
    expect(targetSize(4000, 3000)).toEqual({ width: 2160, height: 1620 });
    expect(targetSize(3000, 4000)).toEqual({ width: 1620, height: 2160 });
    expect(targetSize(2160, 1000)).toBeUndefined();
    expect(targetSize(800, 1200)).toBeUndefined();
    expect(targetSize(100_000, 10)).toEqual({ width: 2160, height: 1 });
  });
});
