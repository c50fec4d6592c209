// `npm run soak -- [--days 30] [--seed 1] [--out <dir>] [--keep]`: a month of scheduled runs with faults,
// in minutes. Prints each day as it ends and the report; exits 1 when a guarantee failed, 2 on bad options.
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { runSoak } from './run-soak';
import { soakCalendar } from './soak-calendar';
import { renderDay, renderSoakReport } from './soak-report';

const OptionsSchema = z.object({
  days: z.coerce.number().int().min(6).max(60).default(30),
  seed: z.coerce.number().int().default(1),
  out: z.string().optional(),
  keep: z.boolean().default(false),
});

async function main(): Promise<number> {
  let opts: z.infer<typeof OptionsSchema>;
  try {
    const { values } = parseArgs({
      options: {
        days: { type: 'string' },
        seed: { type: 'string' },
        out: { type: 'string' },
        keep: { type: 'boolean' },
      },
    });
    opts = OptionsSchema.parse(values);
  } catch (err) {
    const text =
      err instanceof z.ZodError ? err.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; ') : String(err);
    process.stderr.write(`error: ${text}\nusage: npm run soak -- [--days 6..60] [--seed n] [--out <dir>] [--keep]\n`);
    return 2;
  }
  if (opts.out && existsSync(opts.out) && readdirSync(opts.out).length > 0) {
    process.stderr.write(`error: --out ${opts.out} is not empty: a soak starts from an empty lake\n`);
    return 2;
  }
  const out = opts.out ?? mkdtempSync(path.join(tmpdir(), 'soak-'));
  const calendar = soakCalendar(opts.days, opts.seed);
  process.stdout.write(
    `Soak: ${opts.days} days, seed ${opts.seed}; kills: ${calendar.kills.map((k) => `day ${k.day} ${k.export} at ${k.at}`).join(', ')}\n`,
  );
  const result = await runSoak({
    calendar,
    seed: opts.seed,
    out,
    onDay: (d) => process.stdout.write(`${renderDay(d)}\n`),
  });
  const report = renderSoakReport(result);
  writeFileSync(path.join(out, 'report.txt'), `${result.evidence.days.map(renderDay).join('\n')}\n${report}\n`);
  process.stdout.write(`${report}\n`);
  if (!opts.keep && !opts.out) rmSync(out, { recursive: true, force: true });
  else process.stdout.write(`  kept   ${out} (the store, the config, events.jsonl, report.txt)\n`);
  return result.ok ? 0 : 1;
}

process.exitCode = await main();
