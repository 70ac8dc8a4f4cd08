/**
 * Scheduled SLA sweeper (EventBridge Scheduler, `rate(5 minutes)`; the timer or POST /dev/scheduler/sweeper
 * locally). Settings, read once at cold start: `SATISFACTION_NO_ANSWER_HOURS` (default 72), how long a resolved
 * case waits for the complainant's answer before it is closed without one.
 */
import { logger } from '#functions/lib/logger.ts';
import { getPlatform, type Platform } from '#functions/lib/platform.ts';
import { emfLine, makeSweeper, type SweepOptions, type SweepReport } from './sweep.ts';

export const DEFAULT_NO_ANSWER_HOURS = 72;

export function sweepOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): SweepOptions {
  const raw = env.SATISFACTION_NO_ANSWER_HOURS;
  const hours = raw === undefined || raw === '' ? DEFAULT_NO_ANSWER_HOURS : Number(raw);
  if (!Number.isFinite(hours) || hours <= 0)
    throw new Error('SATISFACTION_NO_ANSWER_HOURS must be a positive number');
  return { noAnswerAfterMs: hours * 3_600_000 };
}

const options = sweepOptionsFromEnv();
let cached: { platform: Platform; sweeper: ReturnType<typeof makeSweeper> } | undefined;

/** Resolves with the sweep's counts (EventBridge Scheduler ignores them; the local clock route shows them). */
export const handler = async (_event: unknown): Promise<SweepReport> => {
  const platform = await getPlatform();
  if (cached?.platform !== platform) cached = { platform, sweeper: makeSweeper(platform, options) };
  const report = await cached.sweeper.run();
  // Custom metrics are billed for every hour they receive a value, zeros included: a quiet run publishes none.
  if (report.breaches + report.escalations + report.warnings + report.closedNoAnswer > 0)
    console.log(emfLine(report, platform.now()));
  logger.info('sweep done', { code: 'SWEEPER.DONE', ...report });
  return report;
};
