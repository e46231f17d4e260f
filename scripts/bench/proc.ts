import { readFileSync, readdirSync } from 'node:fs';
import { cpus } from 'node:os';

/**
 * Read-only looks at /proc: resident memory of the services the bench started and CPU
 * time of every process that takes part (services, the JVMs, Redis, PostgreSQL, the
 * bench itself), so each phase can say where the two cores went.
 */
const CLOCK_TICKS = 100;

export function rssKb(pid: number): number | null {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/** utime + stime of one process, in seconds; null once it is gone. */
export function cpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may contain spaces and parentheses: fields start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

/** Trees looked up recently: the RSS sampler asks four times a second. */
const trees = new Map<number, { at: number; pids: number[] }>();

/**
 * A process and its descendants (a gateway process group's members, say), from the
 * parent pid in /proc/<pid>/stat; a tree looked up within `maxAgeMs` is reused.
 */
export function processTree(root: number, maxAgeMs = 0): number[] {
  const cached = trees.get(root);
  if (cached && performance.now() - cached.at <= maxAgeMs) return cached.pids;
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  const tree: number[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    tree.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  trees.set(root, { at: performance.now(), pids: tree });
  return tree;
}

/** Busy and total CPU seconds of the whole machine (all cores) since boot. */
export function systemCpu(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  const total = values.reduce((a, b) => a + b, 0);
  const idle = (values[3] ?? 0) + (values[4] ?? 0);
  return { busy: (total - idle) / CLOCK_TICKS, total: total / CLOCK_TICKS };
}

export function loadAverage(): string {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return 'n/a';
  }
}

/** Infrastructure processes, recognised by their command line. */
const infraPatterns: readonly [string, (cmd: string, comm: string) => boolean][] = [
  ['kafka', (cmd) => cmd.includes('kafka.Kafka')],
  ['opensearch', (cmd) => cmd.includes('org.opensearch.bootstrap.OpenSearch')],
  ['schema-registry', (cmd) => cmd.includes('apicurio-registry')],
  ['redis', (_cmd, comm) => comm === 'redis-server'],
  ['postgres', (_cmd, comm) => comm === 'postgres'],
];

export function findInfraPids(): Map<string, number[]> {
  const found = new Map<string, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let cmd: string;
    let comm: string;
    try {
      cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ');
      comm = readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
    } catch {
      continue;
    }
    for (const [name, matches] of infraPatterns) {
      if (matches(cmd, comm)) found.set(name, [...(found.get(name) ?? []), Number(entry)]);
    }
  }
  return found;
}

export interface CpuSnapshot {
  readonly at: number;
  readonly system: { busy: number; total: number };
  /** CPU seconds per pid, per group (the bench client under pid 0). */
  readonly perGroup: Map<string, Map<number, number>>;
}

/** Groups of pids whose CPU time is summed; postgres backends come and go, so re-scan it. */
export class CpuAccount {
  private readonly groups = new Map<string, () => number[]>();

  add(name: string, pids: () => number[]): void {
    this.groups.set(name, pids);
  }

  snapshot(): CpuSnapshot {
    const perGroup = new Map<string, Map<number, number>>();
    for (const [name, pids] of this.groups) {
      const each = new Map<number, number>();
      for (const pid of pids()) each.set(pid, cpuSeconds(pid) ?? 0);
      perGroup.set(name, each);
    }
    const own = process.cpuUsage();
    perGroup.set('bench client', new Map([[0, (own.user + own.system) / 1e6]]));
    return { at: performance.now(), system: systemCpu(), perGroup };
  }
}

/**
 * CPU a group used between two snapshots, pid by pid: a process that started in between
 * counts whole, one that exited counts nothing (its last moments are not observable).
 * Summing totals instead went negative, clamped to 0, whenever a busy PostgreSQL backend
 * of stopped workers exited during a phase: the phase then showed "postgres 0".
 */
function usedBetween(a: ReadonlyMap<number, number> | undefined, b: ReadonlyMap<number, number>): number {
  let used = 0;
  for (const [pid, end] of b) used += Math.max(0, end - (a?.get(pid) ?? 0));
  return used;
}

export interface CpuShare {
  readonly seconds: number;
  /** Machine busy share over the interval (1 = both cores fully busy). */
  readonly machineBusy: number;
  /** Cores used per group over the interval (2.0 = both cores). */
  readonly cores: Record<string, number>;
}

export function cpuBetween(a: CpuSnapshot, b: CpuSnapshot): CpuShare {
  const seconds = (b.at - a.at) / 1000;
  const cores: Record<string, number> = {};
  for (const [name, end] of b.perGroup) cores[name] = seconds > 0 ? usedBetween(a.perGroup.get(name), end) / seconds : 0;
  const total = b.system.total - a.system.total;
  const machineBusy = total > 0 ? (b.system.busy - a.system.busy) / total : 0;
  // What the machine did besides the processes above: other people's tests, the kernel, the shell.
  const accounted = Object.values(cores).reduce((x, y) => x + y, 0);
  cores['other (not bench)'] = Math.max(0, machineBusy * cpus().length - accounted);
  return { seconds, machineBusy, cores };
}

/** How the sampler names the summed RSS of a service that runs as several processes. */
export const ALL_PROCESSES = ' (all processes)';

/**
 * Samples VmRSS of each named service every `intervalMs`, keeping the maximum per label:
 * under the service's name its largest process (what one process's heap limit bounds),
 * and for a service of several processes (a gateway process group) also their sum, under
 * the name plus ALL_PROCESSES.
 */
export class RssSampler {
  private timer: NodeJS.Timeout | null = null;
  private label = 'idle';
  readonly max = new Map<string, Map<string, number>>();
  readonly series: { t: number; label: string; rssKb: Record<string, number> }[] = [];

  constructor(
    private readonly pids: () => Map<string, number[]>,
    private readonly intervalMs = 250,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
  }

  phase(label: string): void {
    this.label = label;
    this.sample();
  }

  sample(): void {
    const byName: Record<string, number> = {};
    const maxOf = this.max.get(this.label) ?? new Map<string, number>();
    const keep = (name: string, kb: number) => {
      byName[name] = kb;
      maxOf.set(name, Math.max(maxOf.get(name) ?? 0, kb));
    };
    for (const [name, pids] of this.pids()) {
      const each = pids.map(rssKb).filter((kb): kb is number => kb !== null);
      if (each.length === 0) continue;
      keep(name, Math.max(...each));
      if (each.length > 1) keep(`${name}${ALL_PROCESSES}`, each.reduce((a, b) => a + b, 0));
    }
    this.max.set(this.label, maxOf);
    this.series.push({ t: Math.round(performance.now()), label: this.label, rssKb: byName });
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
