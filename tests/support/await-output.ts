import type { ChildProcess } from 'node:child_process';

/**
 * Resolve once a spawned server prints `marker` (stdout or stderr); reject with the tail
 * of its output if it exits first or takes longer than `timeoutMs`. One start-up wait for
 * the private servers the TLS tests run (Redis, Kafka, PostgreSQL).
 */
export function awaitOutput(child: ChildProcess, marker: string, what: string, timeoutMs: number): Promise<void> {
  let output = '';
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not start within ${timeoutMs} ms:\n${output.slice(-3000)}`)), timeoutMs);
    const watch = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(marker)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', watch);
    child.stderr?.on('data', watch);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited with ${code}:\n${output.slice(-3000)}`));
    });
  });
}
