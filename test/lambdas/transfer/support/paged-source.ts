// An in-process source made of pages, as a paged provider route looks to the transfer: each page is a
// call (listed in `fetches`), the body hands back the token of the page after each one it passed
// (positionAt), a range with `resumeFrom` continues at that token, a quota can be spent on any page
// call, and tokens can expire (then a resume is refused with SourcePositionExpiredError).
import { Readable } from 'node:stream';
import type { OpenedRange, RangeRequest, SourcePosition } from '../../../../lambdas/providers/types';
import { QuotaExceededError, SourcePositionExpiredError } from '../../../../lambdas/shared/errors';

export const RESET_AT = '2030-01-01T06:00:00Z';

export interface PagedSource {
  readonly data: Buffer;
  /** Page indexes fetched, in call order. */
  readonly fetches: number[];
  /** Opens that resumed at a saved position. */
  readonly resumes: SourcePosition[];
  /** The next call for this page answers a spent quota (once). */
  quotaOnPage?: number;
  /** Every token issued so far is refused. */
  expireTokens(): void;
  openRange(range: RangeRequest, signal?: AbortSignal): Promise<OpenedRange>;
}

/** `pages` rows of CSV, the header first; `rowsPerPage` records a page. */
export function pagedSource(pageCount: number, rowsPerPage: number): PagedSource {
  const header = Buffer.from('id,name,note\n');
  const pages = Array.from({ length: pageCount }, (_, p) =>
    Buffer.from(
      Array.from({ length: rowsPerPage }, (_, r) => {
        const id = p * rowsPerPage + r;
        return `${id},name-${id},"note ${'x'.repeat(id % 40)}\nline two"\n`;
      }).join(''),
    ),
  );
  const data = Buffer.concat([header, ...pages]);
  let generation = 0;
  const token = (page: number) => `g${generation}.p${page}`;

  const source: PagedSource = {
    data,
    fetches: [],
    resumes: [],
    expireTokens() {
      generation += 1;
    },
    async openRange(range) {
      const resume = range.resumeFrom && range.resumeFrom.at <= range.start ? range.resumeFrom : undefined;
      let page = 0;
      if (resume) {
        const m = /^g(\d+)\.p(\d+)$/.exec(resume.position);
        if (!m || Number(m[1]) !== generation) throw new SourcePositionExpiredError(`token ${resume.position} expired`);
        page = Number(m[2]);
        source.resumes.push(resume);
      }
      const marks: SourcePosition[] = [];
      async function* body(): AsyncGenerator<Buffer> {
        let offset = resume ? resume.at : 0;
        if (!resume) {
          offset = header.length;
          if (range.start < offset) yield header.subarray(range.start);
        }
        for (; page < pages.length; page++) {
          if (source.quotaOnPage === page) {
            delete source.quotaOnPage;
            throw new QuotaExceededError('daily quota', RESET_AT, '607');
          }
          source.fetches.push(page);
          const bytes = pages[page]!;
          const from = offset;
          offset += bytes.length;
          if (page + 1 < pages.length) marks.push({ at: offset, position: token(page + 1) });
          if (offset > range.start) yield bytes.subarray(Math.max(0, range.start - from));
        }
      }
      return {
        ranged: true,
        start: range.start,
        totalSize: data.length,
        body: Readable.from(body(), { objectMode: false }),
        positionAt: (offset) => marks.findLast((mark) => mark.at <= offset),
      };
    },
  };
  return source;
}
