import { describe, expect, it } from 'vitest';
import { ExportDefinitionSchema } from '../../../lambdas/shared/export-definition';

const base = { name: 'mkto', provider: 'marketo', secretName: 'bulk-export/marketo' } as const;

describe('ExportDefinitionSchema', () => {
  it('fills the defaults', () => {
    const def = ExportDefinitionSchema.parse({ ...base, window: { firstStart: '2026-01-01' } });
    expect(def).toMatchObject({
      dataset: 'activities',
      request: {},
      jobTimeoutMinutes: 720,
      window: { grain: 'day', lagMinutes: 60 },
    });
  });

  it('a first start must sit on a boundary of the grain, naming the field', () => {
    const issues = (v: object) => ExportDefinitionSchema.safeParse({ ...base, window: v }).error?.issues ?? [];
    expect(issues({ firstStart: '2026-01-01T06:00:00Z' })).toEqual([
      expect.objectContaining({ path: ['window', 'firstStart'], message: expect.stringMatching(/day boundary/) }),
    ]);
    expect(issues({ firstStart: '2026-01-01T06:00:00Z', grain: 'hour' })).toEqual([]);
    expect(issues({ firstStart: '2026-01-02', grain: 'month' })[0]?.message).toMatch(/on the 1st/);
    expect(issues({ firstStart: '2026-01-05', grain: 'week' })).toEqual([]);
  });

  it('rejects unknown keys and bad names', () => {
    expect(ExportDefinitionSchema.safeParse({ ...base, window: { firstStart: '2026-01-01' }, extra: 1 }).success).toBe(
      false,
    );
    expect(
      ExportDefinitionSchema.safeParse({ ...base, name: 'Bad_Name', window: { firstStart: '2026-01-01' } }).success,
    ).toBe(false);
  });
});
