/**
 * Escalation over HTTP, with the local clock moved forward instead of waiting: an S3 case is not overdue when it
 * arrives (its first staff response is due in 1 hour); each time the clock moves past a level, sweepers run side by
 * side with the scheduler's own run, and every level fires once, is recorded once and reaches each inbox once.
 *
 * Then the README's "Try the SLA" commands, run as printed (only the port differs) against an `npm start` of
 * their own, so moving that clock touches no other test.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '#local/ports.ts';
import { api, eventually, settle, tokenFor } from '../../support/http.ts';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read loosely and asserted on
type Json = Record<string, any>;

const HOUR = 3_600_000;
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** Every notice of one case in one focal point's inbox, as the console's Inbox page would list them. */
async function notices(admin: string, focalPoint: string, caseId: string): Promise<Json[]> {
  const inbox = (await api('GET', `/dev/inbox?focalPoint=${focalPoint}`, { token: admin })).json() as Json;
  return (inbox.notifications as Json[]).filter((n) => n.message?.caseId === caseId);
}

describe('SLA escalation with the local clock moved forward', () => {
  it('fires each level once, however many sweepers run', { timeout: 180_000 }, async () => {
    const operator = await tokenFor('operator');
    const psea = await tokenFor('psea');
    const admin = await tokenFor('admin');
    const created = await api('POST', '/api/cases', {
      token: operator,
      json: {
        channel: 'hotline',
        narrative: 'A driver for the partner asked a girl for sex in return for a place on the list.',
        language: 'en',
        category: 'C07',
        consentToFollowUp: false,
      },
      headers: { 'idempotency-key': `esc-${randomBytes(6).toString('hex')}` },
    });
    expect(created.status).toBe(201);
    const caseId = (created.json() as Json).caseId as string;
    const routed = await eventually(async () => {
      const c = ((await api('GET', `/api/cases/${caseId}`, { token: psea })).json() as Json).case;
      return c?.sla && c?.routing ? c : undefined;
    }, 60_000);
    expect(routed.sla.policyId).toBe('s3');
    expect(routed.routing.focalPoints).toEqual(['psea-focal-point']);
    // Due one hour after it arrived: the automatic acknowledgement is no staff target.
    expect(Date.parse(routed.sla.acknowledgeBy) - Date.parse(routed.receivedAt)).toBe(HOUR);

    const escalations = async () => {
      await settle();
      const detail = (await api('GET', `/api/cases/${caseId}`, { token: psea })).json() as Json;
      return {
        recorded: detail.case.sla.escalated as string[],
        events: (detail.timeline as Json[]).filter((e) => e.type === 'escalated'),
      };
    };
    /** Moves the clock, and races two more scheduler runs against the one the clock route starts. */
    const advance = async (by: string) => {
      const [moved, ...sweeps] = await Promise.all([
        api('POST', '/dev/clock', { token: admin, json: { advance: by } }),
        api('POST', '/dev/scheduler/sweeper', { token: admin }),
        api('POST', '/dev/scheduler/sweeper', { token: admin }),
      ]);
      expect(moved?.status).toBe(200);
      expect(sweeps.map((s) => s.status)).toEqual([200, 200]);
      await api('POST', '/dev/scheduler/sweeper', { token: admin });
      return moved?.json() as Json;
    };

    try {
      const before = (await api('GET', '/dev/clock', { token: admin })).json() as Json;
      await Promise.all([
        api('POST', '/dev/scheduler/sweeper', { token: admin }),
        api('POST', '/dev/scheduler/sweeper', { token: admin }),
      ]);
      expect((await escalations()).events).toEqual([]);

      // Two hours later the first response is an hour late: the focal point level.
      const moved = await advance('PT2H');
      expect(moved.offsetMs).toBe(before.offsetMs + 2 * HOUR);
      expect(Date.parse(moved.now) - Date.parse(before.now)).toBeGreaterThanOrEqual(2 * HOUR);
      expect(moved.sweep).toMatchObject({ failures: 0 });
      let seen = await escalations();
      expect(seen.recorded).toEqual(['acknowledge:focal_point']);
      expect(seen.events.map((e) => e.data.level)).toEqual(['focal_point']);

      // Six hours: the supervisor (4 hours after the missed target). Fourteen: the programme manager (12).
      await advance('PT4H');
      seen = await escalations();
      expect(seen.recorded).toEqual(['acknowledge:focal_point', 'acknowledge:supervisor']);
      await advance('PT8H');
      await advance('PT1H');
      seen = await escalations();
      expect(seen.recorded).toEqual([
        'acknowledge:focal_point',
        'acknowledge:supervisor',
        'acknowledge:programme_manager',
      ]);
      expect(seen.events.map((e) => e.data.level)).toEqual([
        'focal_point',
        'supervisor',
        'programme_manager',
      ]);

      // Each level reached its inbox once: counted, not collected into a set.
      const levelOf = new Map(seen.events.map((e) => [e.eventId as string, e.data.level as string]));
      for (const [focalPoint, level] of [
        ['psea-focal-point', 'focal_point'],
        ['cfm-supervisor', 'supervisor'],
        ['programme-manager', 'programme_manager'],
      ] as const) {
        const mine = await eventually(async () => {
          const got = (await notices(admin, focalPoint, caseId)).filter(
            (n) => n.attributes?.eventType === 'escalated',
          );
          return got.length ? got : undefined;
        });
        await settle();
        const all = (await notices(admin, focalPoint, caseId)).filter(
          (n) => n.attributes?.eventType === 'escalated',
        );
        expect(all.length, focalPoint).toBe(1);
        expect(levelOf.get(mine[0]?.message.eventId), focalPoint).toBe(level);
        expect(JSON.stringify(all)).not.toContain('driver');
      }
    } finally {
      const reset = await api('POST', '/dev/clock', { token: admin, json: { reset: true } });
      expect((reset.json() as Json).offsetMs).toBe(0);
    }
  });
});

/** The shell block under "Try the SLA" in the README, exactly as printed. */
function readmeBlock(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Try the SLA'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error('the README has no "Try the SLA" commands');
  return block;
}

describe("the README's local clock commands", () => {
  const dirs: string[] = [];
  let child: ChildProcess | undefined;
  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child?.once('exit', r));
      child.kill('SIGINT');
      await exited;
    }
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('work as printed against npm start', { timeout: 240_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cfm-clock-'));
    dirs.push(dataDir);
    const port = await freePort();
    let output = '';
    child = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), ['local/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, PORT: String(port), DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (d: Buffer) => {
      output += d.toString();
    });
    child.stderr?.on('data', (d: Buffer) => {
      output += d.toString();
    });
    for (;;) {
      if (child.exitCode !== null) throw new Error(`npm start exited: ${output}`);
      const up = await fetch(`http://localhost:${port}/health`).then(
        (r) => r.status === 200,
        () => false,
      );
      if (up) break;
      await new Promise((r) => setTimeout(r, 200));
    }

    // The commands as printed; only the port is this stack's (3000 may be taken on this machine).
    const script = readmeBlock().replaceAll('localhost:3000', `localhost:${port}`);
    const run = spawnSync('bash', ['-e', '-c', script], {
      cwd: ROOT,
      env: { ...process.env, PUBLIC_BASE_URL: `http://localhost:${port}` },
      encoding: 'utf8',
      timeout: 180_000,
    });
    expect(run.status, run.stderr).toBe(0);
    const out = run.stdout;
    // The SMS answered with a reference; the clock moved two hours and the sweep escalated the case; the PSEA
    // focal point's inbox holds the escalation; the clock went back.
    expect(out).toMatch(/[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}/);
    const clocks = out
      .split('\n')
      .filter((l) => l.startsWith('{"now"'))
      .map((l) => JSON.parse(l) as Json);
    expect(clocks.map((c) => c.offset)).toEqual(['PT0S', 'PT2H', 'PT0S']);
    expect(clocks[1]?.sweep).toMatchObject({ failures: 0 });
    const inbox = JSON.parse(out.split('\n').find((l) => l.startsWith('{"notifications"')) ?? '{}') as Json;
    const escalated = (inbox.notifications as Json[]).filter((n) => n.attributes?.eventType === 'escalated');
    expect(escalated).toHaveLength(1);
    expect(escalated[0]?.message.reference).toMatch(/^[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$/);
  });
});
