import { describe, expect, it } from 'vitest';
import { verifiedText } from '../../../local/cli/summary';

describe('verifiedText', () => {
  it('says verified only for what was compared with the provider', () => {
    expect(verifiedText({ bytes: true, sha256: true, records: true })).toBe('verified against the provider: size, sha256, records');
    expect(verifiedText({ bytes: true, sha256: true, records: false })).toBe('verified against the provider: size, sha256 (the provider gave no records)');
    expect(verifiedText({ bytes: false, sha256: false, records: false })).toBe('nothing to verify against: the provider gave no size, checksum or count');
  });
});
