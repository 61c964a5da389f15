/** Types of proc-cpu.mjs (plain JS, run by Node from the bench scripts). */
export interface ProcTimes {
  kind: string;
  user: number;
  system: number;
}
export interface CpuSnapshot {
  at: number;
  procs: Map<string, ProcTimes>;
}
export interface CpuBetween {
  wallSeconds: number;
  cpuSeconds: number;
  systemSeconds: number;
  floorSeconds: number;
  byKind: Record<string, { seconds: number; systemSeconds: number }>;
}
export function chromiumKind(cmdline: string): string | null;
export function cpuSnapshot(named?: Record<string, number | undefined>): CpuSnapshot | null;
export function cpuBetween(a: CpuSnapshot | null, b: CpuSnapshot | null, cores: number): CpuBetween | null;
