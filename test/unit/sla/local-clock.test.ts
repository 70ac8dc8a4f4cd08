import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ClockChange, clockRoute, formatDuration, LocalClock, parseDuration } from '#local/clock.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const dirs: string[] = [];
const tempFile = () => {
  const dir = mkdtempSync(join(tmpdir(), 'cfm-clock-'));
  dirs.push(dir);
  return join(dir, 'clock.json');
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('ISO 8601 durations for the local clock', () => {
  it.each([
    ['P2D', 2 * DAY],
    ['PT4H', 4 * HOUR],
    ['PT4H30M', 4.5 * HOUR],
    ['P1W', 7 * DAY],
    ['P1DT12H', 36 * HOUR],
    ['PT90S', 90_000],
    ['PT0.5S', 500],
  ])('reads %s', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['P', 'PT', '2D', 'P1Y', 'P1M', 'P-1D', 'P1.5D', 'PT1H ', 'p2d'])('refuses %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it('writes an offset back as a duration', () => {
    expect(formatDuration(0)).toBe('PT0S');
    expect(formatDuration(2 * DAY)).toBe('P2D');
    expect(formatDuration(2 * DAY + 3 * HOUR + 90_000)).toBe('P2DT3H1M30S');
    expect(formatDuration(4 * HOUR)).toBe('PT4H');
  });

  it('takes a forward move or a reset, nothing else', () => {
    expect(ClockChange.safeParse({ advance: 'P2D' }).success).toBe(true);
    expect(ClockChange.safeParse({ reset: true }).success).toBe(true);
    for (const bad of [
      { advance: 'PT0S' },
      { advance: 'P401D' },
      { advance: 'yesterday' },
      { reset: false },
      {},
    ])
      expect(ClockChange.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
  });
});

describe('LocalClock', () => {
  const machine = () => new Date('2026-03-01T06:00:00.000Z');

  it("runs at the machine's time until moved, and keeps its offset across a restart", () => {
    const file = tempFile();
    const clock = new LocalClock(machine, file);
    expect(clock.now().toISOString()).toBe('2026-03-01T06:00:00.000Z');
    clock.change({ advance: 'P2D' });
    clock.change({ advance: 'PT4H' });
    expect(clock.state()).toEqual({ now: '2026-03-03T10:00:00.000Z', offset: 'P2DT4H', offsetMs: 52 * HOUR });
    const restarted = new LocalClock(machine, file);
    expect(restarted.now().toISOString()).toBe('2026-03-03T10:00:00.000Z');
    restarted.change({ reset: true });
    expect(new LocalClock(machine, file).now().toISOString()).toBe('2026-03-01T06:00:00.000Z');
  });

  it("starts at the machine's time when the saved offset cannot be read", () => {
    const file = tempFile();
    writeFileSync(file, '{"offsetMs": -5}');
    expect(new LocalClock(machine, file).state().offsetMs).toBe(0);
  });

  it('runs the sweeper after a move and answers a bad body with a 400 and its code', async () => {
    const clock = new LocalClock(machine);
    let sweeps = 0;
    const sweep = async () => ({ escalations: ++sweeps });
    const moved = await clockRoute(clock, 'POST', Buffer.from('{"advance":"P2D"}'), sweep);
    expect(moved).toEqual({
      status: 200,
      body: { now: '2026-03-03T06:00:00.000Z', offset: 'P2D', offsetMs: 2 * DAY, sweep: { escalations: 1 } },
    });
    const bad = await clockRoute(clock, 'POST', Buffer.from('{"advance":"two days"}'), sweep);
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { code: 'CLOCK.INVALID' } });
    const notJson = await clockRoute(clock, 'POST', Buffer.from('advance=P2D'), sweep);
    expect(notJson.status).toBe(400);
    expect(sweeps).toBe(1);
    expect((await clockRoute(clock, 'GET', Buffer.alloc(0), sweep)).body).toMatchObject({ offset: 'P2D' });
    expect((await clockRoute(clock, 'DELETE', Buffer.alloc(0), sweep)).status).toBe(405);
  });
});

describe('the local clock moved to office hours, to try the live hotline', () => {
  it('from Thursday night goes to Sunday 08:00 in Baghdad; in office hours with an hour left it stays', () => {
    // Thursday 2026-03-12, 22:00 in Baghdad (19:00 UTC).
    const night = new LocalClock(() => new Date('2026-03-12T19:00:00.000Z'));
    expect(night.change({ until: 'office-hours' }).now).toBe('2026-03-15T05:00:00.000Z');
    // Tuesday 2026-03-10, 10:00 in Baghdad: open, and open an hour later.
    const morning = new LocalClock(() => new Date('2026-03-10T07:00:00.000Z'));
    expect(morning.change({ until: 'office-hours' })).toMatchObject({ offsetMs: 0 });
    // Tuesday 15:30 in Baghdad: open, but closing in half an hour: Wednesday 08:00.
    const late = new LocalClock(() => new Date('2026-03-10T12:30:00.000Z'));
    expect(late.change({ until: 'office-hours' }).now).toBe('2026-03-11T05:00:00.000Z');
  });
});
