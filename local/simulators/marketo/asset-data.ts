// The instance's assets as the Asset API lists them: the same programs, forms, emails, lists and pages
// the generated activities reference (activity-pools.ts), plus the smart campaigns that run them. A few
// were deleted since (every tenth, counting from the tenth): activities still carry their ids, the
// listings no longer do, as on a real instance.
import { PRIMARY_POOLS, type PrimaryValue } from './activity-pools';

export type AssetType = 'programs' | 'smartCampaigns' | 'staticLists' | 'emails' | 'forms' | 'landingPages';

export const ASSET_TYPES: readonly AssetType[] = [
  'programs',
  'smartCampaigns',
  'staticLists',
  'emails',
  'forms',
  'landingPages',
];

/** Smart campaigns: activities' campaignId is drawn from these ids. */
export const CAMPAIGN_BASE_ID = 1000;
export const CAMPAIGN_COUNT = 40;

const CREATED = '2024-01-10T18:07:29Z+0000';
const UPDATED = '2024-06-02T09:15:00Z+0000';
const FOLDER = { type: 'Folder', value: 12, folderName: 'Marketing Activities' };

const campaigns: PrimaryValue[] = Array.from({ length: CAMPAIGN_COUNT }, (_, i) => ({
  id: CAMPAIGN_BASE_ID + i,
  name: `${PRIMARY_POOLS.program[i % PRIMARY_POOLS.program.length]?.name ?? 'Program'}.Campaign ${i + 1}`,
}));

const POOLS: Readonly<Record<AssetType, readonly PrimaryValue[]>> = {
  programs: PRIMARY_POOLS.program,
  smartCampaigns: campaigns,
  staticLists: PRIMARY_POOLS.list,
  emails: PRIMARY_POOLS.email,
  forms: PRIMARY_POOLS.form,
  landingPages: PRIMARY_POOLS.webpage,
};

/** Whether the asset at `index` of its pool was deleted (activities reference it, listings omit it). */
export function isDeletedAsset(index: number): boolean {
  return index % 10 === 9;
}

function record(type: AssetType, asset: PrimaryValue, index: number): Record<string, unknown> {
  const common = {
    id: asset.id,
    name: asset.name,
    description: '',
    createdAt: CREATED,
    updatedAt: UPDATED,
    url: `https://app-sj01.marketo.com/#${type}${asset.id}`,
    workspace: 'Default',
  };
  switch (type) {
    case 'programs':
      return {
        ...common,
        type: index % 3 === 0 ? 'Event' : 'Default',
        channel: index % 3 === 0 ? 'Webinar' : 'Email Blast',
        folder: FOLDER,
        status: index % 3 === 0 ? 'unlocked' : '',
        tags: [{ tagType: 'Region', tagValue: asset.name.split('_')[0] ?? '' }],
      };
    case 'smartCampaigns':
      return {
        ...common,
        type: index % 2 === 0 ? 'trigger' : 'batch',
        isActive: index % 4 !== 3,
        status: index % 4 !== 3 ? 'Active' : 'Inactive',
        parentProgramId: PRIMARY_POOLS.program[index % PRIMARY_POOLS.program.length]?.id,
        folder: { id: PRIMARY_POOLS.program[index % PRIMARY_POOLS.program.length]?.id, type: 'Program' },
      };
    case 'emails':
      return {
        ...common,
        status: 'approved',
        subject: { type: 'Text', value: asset.name.split('.').at(-1) },
        fromEmail: { type: 'Text', value: 'news@example.com' },
        folder: FOLDER,
      };
    case 'landingPages':
      return { ...common, status: 'approved', computedUrl: `https://${asset.name}`, folder: FOLDER };
    default:
      return { ...common, status: type === 'forms' ? 'approved' : undefined, folder: FOLDER };
  }
}

/** The listing of `type`: live assets in id order, then `extra` made-up ones. */
export function assetListing(type: AssetType, extra = 0): Record<string, unknown>[] {
  const pool = POOLS[type];
  const live = pool.flatMap((asset, index) => (isDeletedAsset(index) ? [] : [record(type, asset, index)]));
  const lastId = pool.at(-1)?.id ?? 0;
  const made = Array.from({ length: extra }, (_, i) =>
    record(type, { id: lastId + 100_000 + i, name: `Extra ${type} ${i + 1}` }, pool.length + i),
  );
  return [...live, ...made];
}

/** Every asset of `type` the instance ever had, deleted ones included: the ground truth tests compare with. */
export function assetPool(type: AssetType): readonly PrimaryValue[] {
  return POOLS[type];
}
