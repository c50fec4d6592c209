// The program member fields Marketo defines for every program, with their Marketo data types: the
// program-members layout types them without a `fieldTypes` entry.
export const PROGRAM_MEMBER_FIELD_TYPES: Readonly<Record<string, string>> = {
  leadId: 'integer',
  programId: 'integer',
  membershipDate: 'datetime',
  reachedSuccess: 'boolean',
  reachedSuccessDate: 'datetime',
  isExhausted: 'boolean',
  acquiredBy: 'boolean',
  attendanceLikelihood: 'integer',
  updatedAt: 'datetime',
  createdAt: 'datetime',
};
