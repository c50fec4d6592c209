import { describe, expect, it } from 'vitest';
import { planSplits } from '../../../lambdas/curated/split-plan';

describe('planSplits', () => {
  it('covers the body without gaps, cutting only at record starts, each split within the bound', () => {
    const recordStarts = [10, 25, 40, 55, 70, 85];
    const splits = planSplits({ fileSize: 100, headerEnd: 10, recordStarts, maxSplitBytes: 30 });
    expect(splits).toEqual([
      { index: 0, start: 10, end: 40 },
      { index: 1, start: 40, end: 70 },
      { index: 2, start: 70, end: 100 },
    ]);
  });

  it('one split when no cut is needed or none is known', () => {
    expect(planSplits({ fileSize: 100, headerEnd: 10, recordStarts: [20, 50], maxSplitBytes: 1000 })).toEqual([
      { index: 0, start: 10, end: 100 },
    ]);
    expect(planSplits({ fileSize: 100, headerEnd: 10, recordStarts: [], maxSplitBytes: 5 })).toEqual([
      { index: 0, start: 10, end: 100 },
    ]);
  });

  it('a record longer than the bound makes a larger split rather than a cut inside it', () => {
    expect(planSplits({ fileSize: 100, headerEnd: 0, recordStarts: [5, 80], maxSplitBytes: 10 })).toEqual([
      { index: 0, start: 0, end: 5 },
      { index: 1, start: 5, end: 80 },
      { index: 2, start: 80, end: 100 },
    ]);
  });

  it('ignores unsorted, duplicate and out-of-body offsets; an empty body is one empty split', () => {
    expect(
      planSplits({ fileSize: 60, headerEnd: 10, recordStarts: [40, 0, 10, 40, 25, 60, 99], maxSplitBytes: 20 }),
    ).toEqual([
      { index: 0, start: 10, end: 25 },
      { index: 1, start: 25, end: 40 },
      { index: 2, start: 40, end: 60 },
    ]);
    expect(planSplits({ fileSize: 10, headerEnd: 10, recordStarts: [], maxSplitBytes: 20 })).toEqual([
      { index: 0, start: 10, end: 10 },
    ]);
  });

  it('refuses nonsense bounds', () => {
    expect(() => planSplits({ fileSize: 10, headerEnd: 11, recordStarts: [], maxSplitBytes: 20 })).toThrow(RangeError);
    expect(() => planSplits({ fileSize: 10, headerEnd: 0, recordStarts: [], maxSplitBytes: 0 })).toThrow(RangeError);
  });
});
