/**
 * Linux schedules by session first (autogroups: sched_autogroup_enabled), then by thread: a process in the test's
 * session shares one CPU share with the test runner and everything else the test runs, and so does nice. A process
 * started with `detached: true` has a session, and so a CPU share, of its own, as an FC instance has its own vCPUs;
 * `raiseCpuShare` gives that share more weight than other sessions' (what other suites on a shared machine run).
 */
import { writeFileSync } from 'node:fs';

/**
 * Best effort (a negative value needs CAP_SYS_NICE, e.g. root; without autogroups there is no such file): sets the
 * nice value of `pid`'s autogroup. Answers whether it was set. Work the process itself does is not hidden by it.
 */
export function raiseCpuShare(pid: number | undefined, nice: number): boolean {
  if (pid === undefined) return false;
  try {
    writeFileSync(`/proc/${pid}/autogroup`, String(nice));
    return true;
  } catch {
    return false;
  }
}
