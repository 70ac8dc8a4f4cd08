import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '#local/ports.ts';
import { sendSms } from '../../../scripts/lib/sms-sim.ts';

/** `npm start` as a new user runs it: the real entry point in its own process, with a data folder of its own. */
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
/** What `npm start` runs (package.json): Node with tsx's loader, in one process. */
const START = ['--import', 'tsx', 'local/main.ts'];
const TOKEN = 'restart-test-token';

interface Started {
  child: ChildProcess;
  port: number;
  output: () => string;
}

function start(port: number, dataDir: string, env: Record<string, string> = {}): Started {
  let output = '';
  const child = spawn(process.execPath, START, {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, TWILIO_AUTH_TOKEN: TOKEN, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, as in a terminal, so Ctrl-C can reach the whole group.
    detached: true,
  });
  child.stdout?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  return { child, port, output: () => output };
}

async function healthy(s: Started): Promise<void> {
  for (;;) {
    if (s.child.exitCode !== null) throw new Error(`npm start exited: ${s.output()}`);
    try {
      const res = await fetch(`http://127.0.0.1:${s.port}/health`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

function stop(s: Started): Promise<number | null> {
  return new Promise((resolve) => {
    if (s.child.exitCode !== null) return resolve(s.child.exitCode);
    s.child.once('exit', (code) => resolve(code));
    // Ctrl-C in a terminal signals the whole foreground group (tsx's wrapper and the node it runs), not the wrapper
    // alone: a wrapper signalled alone relays it and, when the child is slow to say it got it, kills it outright.
    if (s.child.pid !== undefined) process.kill(-s.child.pid, 'SIGINT');
  });
}

async function postSms(port: number, sid: string, body: string): Promise<string> {
  const url = `http://localhost:${port}`;
  const res = await sendSms(
    { url, publicBaseUrl: url, authToken: TOKEN, accountSid: `AC${'0'.repeat(31)}1` },
    { from: '+9647701234567', to: '+9647000000000', body, messageSid: sid },
  );
  expect(res.status).toBe(200);
  return res.twiml;
}

/** Whether a DynamoDB Local process for this data folder is still alive. */
const javaRunningFor = (dataDir: string): boolean =>
  spawnSync('pgrep', ['-f', `java.*${dataDir}`]).status === 0;

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'cfm-start-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('npm start', () => {
  // Two start-ups of the whole stack (Java included): on a loaded two-core machine each has taken 25 s and more.
  it('answers /health, prints the URLs and users, and keeps cases across a restart', {
    timeout: 400_000,
  }, async () => {
    const dataDir = tempDir();
    const port = await freePort();
    const first = start(port, dataDir);
    await healthy(first);
    expect(first.output()).toContain(`http://localhost:${port}/health`);
    for (const role of ['operator', 'officer', 'psea', 'manager', 'admin'])
      expect(first.output()).toContain(role);
    expect(first.output()).toContain(TOKEN);

    const reply = await postSms(
      port,
      `SM${'a'.repeat(32)}`,
      'The water in the camp has been cut for three days',
    );
    const reference = /[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}/.exec(reply)?.[0];
    expect(reference).toBeDefined();
    await stop(first);
    // Ctrl-C stopped DynamoDB Local (Java) too.
    expect(javaRunningFor(dataDir)).toBe(false);

    const second = start(port, dataDir);
    await healthy(second);
    // The same delivery again: the case from before the restart answers with the same reference.
    const again = await postSms(
      port,
      `SM${'a'.repeat(32)}`,
      'The water in the camp has been cut for three days',
    );
    expect(again).toContain(reference as string);
    await stop(second);
    expect(javaRunningFor(dataDir)).toBe(false);
  });

  it('says in one line that the port is in use', async () => {
    const blocker = createServer();
    const port = await freePort();
    await new Promise<void>((ok) => blocker.listen(port, ok));
    try {
      const s = start(port, tempDir());
      const code = await new Promise<number | null>((resolve) => s.child.once('exit', resolve));
      expect(code).toBe(1);
      const lines = s
        .output()
        .split('\n')
        .filter((l) => l.startsWith('cfm:'));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`port ${port} is in use`);
    } finally {
      blocker.close();
    }
  });

  it('says in one line that Java is missing', async () => {
    // A PATH with node but without java.
    const nodeDir = tempDir();
    symlinkSync(process.execPath, join(nodeDir, 'node'));
    const probe = spawnSync('sh', ['-c', 'command -v java'], { env: { PATH: nodeDir } });
    expect(probe.status).not.toBe(0);
    const s = start(await freePort(), tempDir(), { PATH: nodeDir });
    const code = await new Promise<number | null>((resolve) => s.child.once('exit', resolve));
    expect(code).toBe(1);
    const lines = s
      .output()
      .split('\n')
      .filter((l) => l.startsWith('cfm:'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/Java .* needed/);
  });
});
