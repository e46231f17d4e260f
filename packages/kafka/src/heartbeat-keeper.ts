/**
 * kafkajs heartbeats only when the consumer calls heartbeat(). A slow handler, or a
 * producer working through its retries (a missing DLQ topic takes ~40 s to fail),
 * would outlive the session timeout and get the member evicted mid-slice. So heartbeat
 * on a timer while waiting. A failing heartbeat (the group is rebalancing) is left for
 * the commit to discover: the commit carries the generation, and the broker refuses a
 * stale one.
 */
export async function whileHeartbeating<T>(work: Promise<T>, heartbeat: () => Promise<void>, everyMs: number): Promise<T> {
  const timer = setInterval(() => {
    heartbeat().catch(() => undefined);
  }, everyMs);
  try {
    return await work;
  } finally {
    clearInterval(timer);
  }
}
