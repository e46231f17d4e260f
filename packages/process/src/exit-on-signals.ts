import type { Logger } from '@vigil/logging';

/**
 * Wire SIGTERM/SIGINT to a graceful shutdown; a second signal forces exit. Returns the
 * same shutdown as a function for other ways of being told to stop (a process group's
 * primary, see process-group.ts): calling it, once or again, is not a second signal.
 */
export function exitOnSignals(logger: Logger, shutdown: () => Promise<void>): (reason: string) => void {
  let stopping = false;
  const stop = (reason: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, 'shutting down');
    shutdown().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) process.exit(130);
    signalled = true;
    stop(signal);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  return stop;
}
