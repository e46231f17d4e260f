// Loaded with `node --import` into a service (NODE_OPTIONS allows --import, not --cpu-prof):
// the first SIGUSR2 starts the V8 sampling profiler, the second writes
// <BENCH_PROFILE_DIR>/<pid>.cpuprofile (open it in Chrome DevTools or summarise it with gateway-cpu.ts).
import { Session } from 'node:inspector';
import { mkdirSync, writeFileSync } from 'node:fs';

const dir = process.env.BENCH_PROFILE_DIR ?? '.vigil/bench/profiles';
const session = new Session();
session.connect();
let running = false;
process.on('SIGUSR2', () => {
  if (!running) {
    running = true;
    session.post('Profiler.enable', () => session.post('Profiler.setSamplingInterval', { interval: 200 }, () => session.post('Profiler.start')));
    return;
  }
  running = false;
  session.post('Profiler.stop', (err, result) => {
    if (err) return;
    mkdirSync(dir, { recursive: true });
    writeFileSync(`${dir}/${process.pid}.cpuprofile`, JSON.stringify(result.profile));
  });
});
