// SHA-256 whose running state fits in the cursor: hash-wasm's save() is 116 bytes that load() resumes
// exactly, which node:crypto cannot do. The state embeds a build id of hash-wasm, so a cursor saved by
// one version may not load in another: keep the dependency pinned across a deploy with open transfers.
import { createSHA256, type IHasher } from 'hash-wasm';
import { ValidationError } from '#shared/errors';

export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export class ResumableSha256 {
  private constructor(private readonly hasher: IHasher) {}

  static async create(): Promise<ResumableSha256> {
    const hasher = await createSHA256();
    hasher.init();
    return new ResumableSha256(hasher);
  }

  /** Resumes from `save()` output (base64). */
  static async resume(state: string): Promise<ResumableSha256> {
    const hasher = await createSHA256();
    try {
      hasher.load(Buffer.from(state, 'base64'));
    } catch (err) {
      throw new ValidationError(
        'cursor.hashState',
        `cannot be resumed: ${err instanceof Error ? err.message : String(err)}`,
        { cause: err },
      );
    }
    return new ResumableSha256(hasher);
  }

  update(data: Uint8Array): void {
    this.hasher.update(data);
  }

  /** Base64 of the hasher's state; the hasher keeps going. */
  save(): string {
    return Buffer.from(this.hasher.save()).toString('base64');
  }

  /** Lower-case hex digest. Ends this hasher. */
  digestHex(): string {
    return this.hasher.digest('hex');
  }
}
