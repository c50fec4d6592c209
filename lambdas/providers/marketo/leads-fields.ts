// The lead fields whose Marketo data type is the same on every instance: the leads layout types them
// without a `fieldTypes` entry (others come from the request, or become strings).
export const LEAD_FIELD_TYPES: Readonly<Record<string, string>> = {
  id: 'integer',
  createdAt: 'datetime',
  updatedAt: 'datetime',
  leadScore: 'integer',
  annualRevenue: 'currency',
  numberOfEmployees: 'integer',
  unsubscribed: 'boolean',
  doNotCall: 'boolean',
  emailInvalid: 'boolean',
  acquisitionProgramId: 'reference',
  dateOfBirth: 'date',
};
