import cluster, { type Worker } from 'node:cluster';
import type { Logger } from '@vigil/logging';

/**
 * Several processes of one service sharing its listening port (node:cluster): one
 * Node process tops out at about one core plus its GC threads, so a gateway on a
 * machine with more cores needs more processes. The primary only supervises: it forks
 * the members, replaces one that dies, answers readiness for all of them and stops
 * them gracefully. Each member is the ordinary service.
 */

const READY_ASK = 'vigil:ready?';
const READY_ANSWER = 'vigil:ready';
const STOP = 'vigil:stop';

interface ReadyAsk {
  readonly type: typeof READY_ASK;
  readonly id: number;
}
interface ReadyAnswer {
  readonly type: typeof READY_ANSWER;
  readonly id: number;
  readonly ok: boolean;
}

const isMessage = <T extends { type: string }>(m: unknown, type: T['type']): m is T => typeof m === 'object' && m !== null && (m as { type?: unknown }).type === type;

/** Whether this process is a member forked by a group's primary. */
export const isGroupMember = (): boolean => cluster.isWorker;

export interface ProcessGroupOptions {
  readonly size: number;
  readonly logger: Logger;
  /** How long members get to finish in-flight work on stop before they are killed. */
  readonly stopTimeoutMs?: number;
  /** Members dying (not asked to) this many times within `crashWindowMs` stop the whole group: a crash loop is for the supervisor above to see. */
  readonly maxCrashes?: number;
  readonly crashWindowMs?: number;
  /** Called when the group gives up after a crash loop. */
  readonly onGiveUp?: () => void;
}

export interface ProcessGroup {
  /** Every member is up and answers that it is ready (within `timeoutMs`). */
  ready(timeoutMs?: number): Promise<boolean>;
  /** Ask every member to shut down gracefully; kill the ones still running after the stop timeout. */
  stop(): Promise<void>;
  pids(): number[];
}

export function startProcessGroup(options: ProcessGroupOptions): ProcessGroup {
  const { size, logger, stopTimeoutMs = 30_000, maxCrashes = 5, crashWindowMs = 60_000 } = options;
  let stopping = false;
  let nextAsk = 0;
  const crashes: number[] = [];
  const members = new Set<Worker>();

  const fork = () => {
    const member = cluster.fork();
    members.add(member);
    member.on('exit', (code, signal) => {
      members.delete(member);
      if (stopping) return;
      const now = Date.now();
      crashes.push(now);
      while (crashes.length > 0 && crashes[0]! < now - crashWindowMs) crashes.shift();
      if (crashes.length >= maxCrashes) {
        logger.error({ pid: member.process.pid, code, signal, crashes: crashes.length }, 'group members keep dying; stopping the group');
        options.onGiveUp?.();
        return;
      }
      logger.error({ pid: member.process.pid, code, signal }, 'group member died; starting another');
      fork();
    });
  };
  for (let i = 0; i < size; i += 1) fork();

  function askReady(member: Worker, timeoutMs: number): Promise<boolean> {
    const id = nextAsk++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => finish(false), timeoutMs);
      const onMessage = (m: unknown) => {
        if (isMessage<ReadyAnswer>(m, READY_ANSWER) && m.id === id) finish(m.ok);
      };
      function finish(ok: boolean) {
        clearTimeout(timer);
        member.off('message', onMessage);
        resolve(ok);
      }
      member.on('message', onMessage);
      member.send({ type: READY_ASK, id } satisfies ReadyAsk, undefined, (error) => {
        if (error) finish(false);
      });
    });
  }

  return {
    async ready(timeoutMs = 2_000) {
      if (stopping || members.size < size) return false;
      const answers = await Promise.all([...members].map((m) => (m.isConnected() ? askReady(m, timeoutMs) : Promise.resolve(false))));
      return answers.every(Boolean);
    },
    async stop() {
      stopping = true;
      const exits = [...members].map(
        (member) =>
          new Promise<void>((resolve) => {
            if (member.isDead()) return resolve();
            const timer = setTimeout(() => member.process.kill('SIGKILL'), stopTimeoutMs);
            member.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            // A member whose channel is closed is on its way out already (a terminal's
            // Ctrl-C reaches every member too); a signal now would cut its shutdown short.
            // The callback takes a send error (channel closed meanwhile) that would otherwise be thrown as an 'error' event.
            if (member.isConnected()) member.send({ type: STOP }, undefined, () => undefined);
          }),
      );
      await Promise.all(exits);
    },
    pids: () => [...members].flatMap((m) => (m.process.pid === undefined ? [] : [m.process.pid])),
  };
}

/**
 * A member's side: answer the primary's readiness questions with `ready`, shut down
 * when asked, and also when the primary is gone (its IPC channel closes), so no member
 * outlives a killed primary.
 */
export function serveAsGroupMember(ready: () => Promise<boolean>, stop: (reason: string) => void): void {
  process.on('message', (m: unknown) => {
    if (isMessage<ReadyAsk>(m, READY_ASK)) {
      // With a callback a closed channel is an argument, not an 'error' event on the process.
      const answer = (ok: boolean) => process.send?.({ type: READY_ANSWER, id: m.id, ok } satisfies ReadyAnswer, undefined, undefined, () => undefined);
      ready().then(answer, () => answer(false));
    } else if (isMessage<{ type: typeof STOP }>(m, STOP)) {
      stop('asked by the group primary');
    }
  });
  process.on('disconnect', () => stop('the group primary is gone'));
}
