/**
 * Processes of `npm run bench`: stopping one, checking that it runs the bench's Node, and timing a cold start
 * (spawn → first answered POST). Every figure must come from the same Node: `assertRunsOnBenchNode` refuses otherwise.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { realpath } from 'node:fs/promises';
import { Agent } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { type Launch, launchAsItIs } from '../test/fc/fc-instance.ts';
import { post } from './load.ts';

/**
 * `node`: the bench's Node binary; `path`: the PATH children get (bootstrap finds `node` on it); `launch`: how every
 * process timed here is started (inside the instance's memory cgroup: ./instance-memory.ts).
 */
export function benchProcesses(node: string, path: string, launch: Launch = launchAsItIs) {
  async function stop(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  const expectedExe = realpath(node);
  async function assertRunsOnBenchNode(pid: number, what: string): Promise<void> {
    const exe = await realpath(`/proc/${pid}/exe`);
    if (exe !== (await expectedExe)) throw new Error(`${what} runs ${exe}, not ${await expectedExe}`);
  }

  /** Spawn → first answered POST whose body passes `ready`, in ms. Polls with fresh connections. */
  async function coldStart(
    command: string,
    args: string[],
    env: Record<string, string>,
    port: number,
    body: string,
    headers: Record<string, string>,
    ready: (body: string) => boolean,
  ): Promise<number> {
    const agent = new Agent({ keepAlive: false });
    const started = performance.now();
    const launched = launch(command, args);
    const child = spawn(launched.command, launched.args, { env: { PATH: path, ...env }, stdio: 'ignore' });
    try {
      for (let attempt = 0; attempt < 20_000; attempt += 1) {
        if (child.exitCode !== null) throw new Error(`${command} exited with ${child.exitCode}`);
        try {
          const response = await post(agent, port, '/mcp', body, headers);
          if (response.status === 200 && ready(response.body)) {
            const ms = performance.now() - started;
            await assertRunsOnBenchNode(child.pid!, command);
            return ms;
          }
        } catch (error) {
          if (error instanceof Error && error.message.includes(' runs ')) throw error;
          // not listening yet
        }
        await delay(1);
      }
      throw new Error(`${command} did not answer`);
    } finally {
      agent.destroy();
      await stop(child);
    }
  }

  return { stop, assertRunsOnBenchNode, coldStart, launch };
}
