// A file response that is a web page (a maintenance or login page) or a JSON error envelope is not the
// file, whatever its status: such a body must never land as a window's data. CSV files come as
// text/csv, text/plain, application/octet-stream or with no type at all; those pass.

const NOT_DATA = /^\s*(text\/html|application\/xhtml\+xml|application\/(?:[\w.+-]*\+)?json)\b/i;

/** Why a response of this Content-Type is not a data file, or undefined when it may be one. */
export function notDataReason(contentType: string | undefined): string | undefined {
  return contentType !== undefined && NOT_DATA.test(contentType)
    ? `answered ${contentType.split(';')[0]?.trim()} instead of the file`
    : undefined;
}
