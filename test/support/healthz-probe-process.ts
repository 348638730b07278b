/**
 * The probe program of `startHealthzProbe` (healthz-probe.ts), a process of its own: every `interval` ms it sends
 * `GET url` and records the time from sending to the end of the answer; an answer later than `timeout` ms is a
 * failure. It prints `ready` once the first probe is answered and, when its stdin ends, its report as one JSON line.
 * Usage: node --import tsx healthz-probe-process.ts <url> <intervalMs> <timeoutMs>
 */
import { Agent, request } from 'node:http';
import type { ProbeReport } from './healthz-probe.ts';

const [url, intervalMs, timeoutMs] = [process.argv[2]!, Number(process.argv[3]), Number(process.argv[4])];
const SLOW_MS = 500;
/**
 * Kept-alive sockets are closed here after 1 s idle, well before the server's 5 s keep-alive timeout. Without a
 * `timeout`, node's agent never expires an idle socket itself (it ignores the server's `Keep-Alive: timeout=5` hint
 * then), so a socket left idle after a burst could be reused just as a busy server's timer closed it: a
 * "socket hang up" that says nothing about the server. Such a reset of a reused socket is retried once, as node's
 * documentation advises; any other error, or a second one, is a failure.
 */
const agent = new Agent({ keepAlive: true, maxSockets: 8, timeout: 1_000 });
const report: ProbeReport = { count: 0, worstMs: 0, worstAt: '', slow: [], failures: [] };
const inFlight = new Set<Promise<void>>();
let ready = false;

function fail(sentAt: string, reason: string): void {
  if (report.failures.length < 20) report.failures.push(`${sentAt}: ${reason}`);
}

function probe(): void {
  const sentAt = new Date().toISOString();
  const started = performance.now();
  const done = new Promise<void>((resolve) => send(sentAt, started, resolve, true));
  inFlight.add(done);
  void done.then(() => inFlight.delete(done));
}

function send(sentAt: string, started: number, resolve: () => void, mayRetry: boolean): void {
  const req = request(url, { agent, timeout: timeoutMs }, (res) => {
    res.resume();
    res.on('error', (error) => {
      fail(sentAt, error.message);
      resolve();
    });
    res.on('end', () => {
      const ms = performance.now() - started;
      report.count += 1;
      if (ms > report.worstMs) Object.assign(report, { worstMs: ms, worstAt: sentAt });
      if (ms > SLOW_MS && report.slow.length < 20) report.slow.push({ at: sentAt, ms: Math.round(ms) });
      if (res.statusCode !== 200) fail(sentAt, `status ${res.statusCode}`);
      if (!ready) {
        ready = true;
        process.stdout.write('ready\n');
      }
      resolve();
    });
  });
  req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
  req.on('error', (error: NodeJS.ErrnoException) => {
    if (mayRetry && req.reusedSocket && error.code === 'ECONNRESET') return send(sentAt, started, resolve, false);
    fail(sentAt, error.message);
    resolve();
  });
  req.end();
}

const timer = setInterval(probe, intervalMs);
probe();
process.stdin.resume();
process.stdin.once('end', async () => {
  clearInterval(timer);
  await Promise.all(inFlight);
  agent.destroy();
  process.stdout.write(`${JSON.stringify(report)}\n`, () => process.exit(0));
});
