// Program members of the simulated instance's programs (GET /rest/v1/programs/members/describe.json,
// and what a bulk program member export writes): one row per (lead, program) the filter selects.
import { field, freeText, isoSeconds, uniqueId, type EntitySchema, type RowContext } from './entity-schema';

/** The instance's programs (ids 1001–1012) and the statuses their channels have. */
export const PROGRAMS: Readonly<Record<number, { readonly name: string; readonly statuses: readonly string[] }>> =
  Object.fromEntries(
    [
      ['Webinar Q3', ['Invited', 'Registered', 'Attended', 'No Show']],
      ['Nurture Onboarding', ['Member', 'Engaged', 'Exhausted']],
      ['Trade Show München', ['Invited', 'Visited Booth', 'Meeting']],
      ['東京セミナー', ['Registered', 'Attended']],
      ['Newsletter', ['Member', 'Unsubscribed']],
      ['ABM Enterprise', ['Targeted', 'Engaged', 'Opportunity']],
      ['Partner Co-Marketing', ['Member', 'Influenced']],
      ['Customer Advocacy', ['Invited', 'Joined']],
      ['Free Trial', ['Started', 'Converted', 'Expired']],
      ['Renewal Campaign', ['Member', 'Renewed']],
      ['Product Launch 🚀', ['Invited', 'Attended']],
      ['São Paulo Roadshow', ['Invited', 'Attended', 'No Show']],
    ].map(([name, statuses], i) => [1001 + i, { name: name as string, statuses: statuses as string[] }]),
  );

const DAY = 86_400;

function programIdsOf(filter: Readonly<Record<string, unknown>>): number[] {
  if (Array.isArray(filter.programIds)) return filter.programIds as number[];
  return typeof filter.programId === 'number' ? [filter.programId] : [];
}

export const PROGRAM_MEMBER_SCHEMA: EntitySchema = {
  fields: [
    field('leadId', 'integer', 'Lead Id'),
    field('programId', 'integer', 'Program Id'),
    field('membershipDate', 'datetime', 'Membership Date'),
    field('progressionStatus', 'string', 'Status Name', 255),
    field('progressionStatusType', 'string', 'Status Type', 255),
    field('reachedSuccess', 'boolean', 'Success'),
    field('reachedSuccessDate', 'datetime', 'Success Date'),
    field('isExhausted', 'boolean', 'Exhausted'),
    field('nurtureCadence', 'string', 'Cadence', 255),
    field('acquiredBy', 'boolean', 'Acquired By'),
    field('attendanceLikelihood', 'integer', 'Attendance Likelihood'),
    field('registrationLikelihood', 'float', 'Registration Likelihood'),
    field('webinarUrl', 'url', 'Webinar Url', 255),
    field('statusReason', 'text', 'Status Reason'),
    field('updatedAt', 'datetime', 'Updated At'),
  ],
  row(ctx: RowContext) {
    const { rng, row, key, mainSec, filter } = ctx;
    const programs = programIdsOf(filter);
    const programId = programs[row % Math.max(1, programs.length)] ?? 1001;
    const program = PROGRAMS[programId] ?? { name: `Program ${programId}`, statuses: ['Member'] };
    const wantedStatuses = Array.isArray(filter.statusNames) ? (filter.statusNames as string[]) : program.statuses;
    const status = rng.pick(wantedStatuses.length > 0 ? wantedStatuses : program.statuses);
    const success = status === program.statuses[program.statuses.length - 1];
    const membershipSec = mainSec - rng.int(200 * DAY);
    const exhausted = typeof filter.isExhausted === 'boolean' ? filter.isExhausted : rng.float() < 0.15;
    const cadence = typeof filter.nurtureCadence === 'string' ? filter.nurtureCadence : rng.pick(['norm', 'paused']);
    const likelihood = rng.int(101);
    return {
      // Rows cycle through the programs, so a lead id is unique per program within the file.
      leadId: String(uniqueId(key, Math.floor(row / Math.max(1, programs.length)))),
      programId: String(programId),
      membershipDate: isoSeconds(membershipSec),
      progressionStatus: status,
      progressionStatusType: success ? 'Success' : 'Member',
      reachedSuccess: success ? 'true' : 'false',
      reachedSuccessDate: success ? isoSeconds(mainSec - rng.int(DAY)) : null,
      isExhausted: exhausted ? 'true' : 'false',
      nurtureCadence: cadence,
      acquiredBy: rng.float() < 0.2 ? 'true' : 'false',
      attendanceLikelihood: rng.float() < 0.3 ? null : String(likelihood),
      registrationLikelihood: rng.float() < 0.3 ? null : String(likelihood / 100),
      webinarUrl: program.name.startsWith('Webinar')
        ? `https://sim.example.com/webinar/${programId}?lead=${row}`
        : null,
      statusReason: freeText(ctx, program.name),
      updatedAt: isoSeconds(mainSec),
    };
  },
};
