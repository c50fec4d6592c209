// The Lambda cost figure of a step, from what the bench measured: GB-s per GiB of data, taking the
// function's deployed memory and the CPU the case used (a step that keeps its one vCPU busy runs as
// long as its CPU time; an I/O-bound step runs longer, so this is the floor). README: What it costs.
import { WORKFLOW_TASKS } from '../lib/constructs/workflow-tasks';

const GIB = 1024 ** 3;

export function gbSecondsLine(
  task: 'TransferChunk' | 'ConvertSplit',
  measured: { cpuMs: number; bytes: number },
): string {
  const row: { memorySize?: number } = WORKFLOW_TASKS[task];
  const memoryMb = row.memorySize ?? 512;
  const seconds = (measured.cpuMs / 1000) * (GIB / measured.bytes);
  const gbSeconds = (memoryMb / 1024) * seconds;
  return `${task} (${memoryMb} MB): ${gbSeconds.toFixed(1)} GB-s per GiB (${seconds.toFixed(0)} s of CPU per GiB measured here)`;
}
