import { describe, expect, it } from 'vitest';
import { validateProgramMembersRequest } from '../../../../lambdas/providers/marketo/program-members-request';
import { MARKETO_DESCRIPTOR } from '../../../../lambdas/providers/marketo/descriptor';
import { fieldOf } from './support/field-of';

const programMembersCreateBody = MARKETO_DESCRIPTOR.datasets['program-members'].bulk.createBody;

const window = { start: '2026-01-01T00:00:00Z', end: '2026-01-02T00:00:00Z' };
const fields = ['leadId', 'programId', 'progressionStatus', 'updatedAt'];

describe('validateProgramMembersRequest', () => {
  it('without windowFilter it is a snapshot of the programs: the window adds no filter', () => {
    const request = {
      fields,
      filter: { programIds: [1001, 1002], isExhausted: false, nurtureCadence: 'paused', statusNames: ['Invited'] },
    };
    const normalized = validateProgramMembersRequest(request, window);
    expect(normalized).toEqual({ format: 'CSV', ...request });
    expect(programMembersCreateBody(normalized)).toEqual({ format: 'CSV', ...request });
  });

  it('with windowFilter updatedAt the window becomes filter.updatedAt', () => {
    const normalized = validateProgramMembersRequest(
      { fields, windowFilter: 'updatedAt', filter: { programIds: [1] } },
      window,
    );
    expect(normalized.filter).toEqual({ programIds: [1], updatedAt: { startAt: window.start, endAt: window.end } });
    expect(validateProgramMembersRequest(normalized, window)).toEqual(normalized);
    expect(
      fieldOf(() => validateProgramMembersRequest({ fields, windowFilter: 'createdAt', filter: { programIds: [1] } })),
    ).toBe('windowFilter');
    expect(
      fieldOf(() =>
        validateProgramMembersRequest({
          fields,
          filter: { programIds: [1], updatedAt: { startAt: window.start, endAt: window.end } },
        }),
      ),
    ).toBe('filter.updatedAt');
  });

  it('programIds: required, 1 to 10 positive ids without repeats', () => {
    expect(fieldOf(() => validateProgramMembersRequest({ fields }))).toBe('filter');
    expect(fieldOf(() => validateProgramMembersRequest({ fields, filter: {} }))).toBe('filter.programIds');
    expect(fieldOf(() => validateProgramMembersRequest({ fields, filter: { programIds: [] } }))).toBe(
      'filter.programIds',
    );
    expect(
      fieldOf(() =>
        validateProgramMembersRequest({ fields, filter: { programIds: Array.from({ length: 11 }, (_, i) => i + 1) } }),
      ),
    ).toBe('filter.programIds');
    expect(() =>
      validateProgramMembersRequest({ fields, filter: { programIds: Array.from({ length: 10 }, (_, i) => i + 1) } }),
    ).not.toThrow();
    expect(fieldOf(() => validateProgramMembersRequest({ fields, filter: { programIds: [3, 0] } }))).toBe(
      'filter.programIds[1]',
    );
    expect(fieldOf(() => validateProgramMembersRequest({ fields, filter: { programIds: [3, 3] } }))).toBe(
      'filter.programIds[1]',
    );
  });

  it('the narrowing filters are checked; list filters do not exist for program members', () => {
    expect(
      fieldOf(() => validateProgramMembersRequest({ fields, filter: { programIds: [1], isExhausted: 'yes' } })),
    ).toBe('filter.isExhausted');
    expect(
      fieldOf(() => validateProgramMembersRequest({ fields, filter: { programIds: [1], nurtureCadence: 'fast' } })),
    ).toBe('filter.nurtureCadence');
    expect(fieldOf(() => validateProgramMembersRequest({ fields, filter: { programIds: [1], statusNames: [] } }))).toBe(
      'filter.statusNames',
    );
    expect(fieldOf(() => validateProgramMembersRequest({ fields, filter: { programIds: [1], staticListId: 3 } }))).toBe(
      'filter.staticListId',
    );
  });

  it('fields: required; an incremental export needs leadId, programId and updatedAt (the latest view)', () => {
    expect(fieldOf(() => validateProgramMembersRequest({ filter: { programIds: [1] } }))).toBe('fields');
    expect(
      fieldOf(() => validateProgramMembersRequest({ fields: ['leadId', 'leadId'], filter: { programIds: [1] } })),
    ).toBe('fields[1]');
    expect(
      fieldOf(() =>
        validateProgramMembersRequest({
          fields: ['leadId', 'updatedAt'],
          windowFilter: 'updatedAt',
          filter: { programIds: [1] },
        }),
      ),
    ).toBe('fields');
    expect(() => validateProgramMembersRequest({ fields: ['leadId'], filter: { programIds: [1] } })).not.toThrow();
  });
});
