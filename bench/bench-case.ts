// Child-process entry: runs one case and prints its result (with this process's peak RSS) as JSON.
import { z } from 'zod';
import { CASE_KINDS, runCase } from './bench-cases';

const Input = z.object({
  kind: z.enum(CASE_KINDS),
  url: z.string().url(),
  size: z.number().int().positive(),
  sha256: z.string(),
  records: z.number().int().nonnegative(),
  motoEndpoint: z.string(),
  localRoot: z.string(),
  partSize: z.number().int().positive(),
  partsInFlight: z.number().int().positive(),
  invocations: z.number().int().positive(),
});

const input = Input.parse(JSON.parse(process.argv[2] ?? '{}'));
const output = await runCase(input);
// resourceUsage().maxRSS is in KiB; cpuUsage() in microseconds (all threads of the process).
const cpu = process.cpuUsage();
process.stdout.write(
  `${JSON.stringify({ ...output, maxRssMiB: process.resourceUsage().maxRSS / 1024, cpuMs: (cpu.user + cpu.system) / 1000 })}\n`,
);
