// `history <export> --windows`: one line per window of the ledger, and what to do about a quarantined one.
import { describe, expect, it } from 'vitest';
import { emptyLedger, withFailed, withLanded } from '../../../lambdas/window/ledger';
import { renderWindowLedger } from '../../../local/cli/window-ledger-view';

const at = '2026-12-01T00:00:00.000Z';
const d1 = { start: '2026-11-01T00:00:00Z', end: '2026-11-02T00:00:00Z' };
const d2 = { start: '2026-11-02T00:00:00Z', end: '2026-11-03T00:00:00Z' };

describe('window ledger view', () => {
  it('lists each window with its state, attempts, job, records and last error; names the retry of a quarantined one', () => {
    let ledger = withLanded(emptyLedger('acts'), d1, { at, manifestKey: 'm', records: 42, source: 'simulator' });
    ledger = withFailed(
      ledger,
      d2,
      { name: 'MalformedCsvError', message: 'row 7 has 9 fields', dataError: true },
      {
        at,
        maxAttempts: 1,
      },
    );
    const lines = renderWindowLedger(ledger, true).split('\n');
    expect(lines[0]).toMatch(/^START\s+END\s+STATE\s+ATTEMPTS\s+JOB\s+RECORDS\s+SOURCE\s+UPDATED\s+LAST ERROR$/);
    expect(lines[1]).toMatch(
      /^2026-11-01T00:00:00Z\s+2026-11-02T00:00:00Z\s+landed\s+0\s+-\s+42\s+simulator\s+2026-12-01T00:00:00Z$/,
    );
    expect(lines[2]).toMatch(
      /quarantined\s+1\s+-\s+-\s+-\s+2026-12-01T00:00:00Z\s+MalformedCsvError: row 7 has 9 fields$/,
    );
    expect(lines.at(-1)).toBe(
      '1 quarantined window(s): their raw files are under quarantine/acts/; after a fix, `npm start -- retry acts --window <START>`',
    );
  });

  it('says so when the export has no ledger yet', () => {
    expect(renderWindowLedger(emptyLedger('acts'), false)).toMatch(/^no window ledger for export "acts" yet/);
  });
});
