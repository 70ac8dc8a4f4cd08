/**
 * Scheduled retention job (EventBridge Scheduler, `rate(1 day)`). Settings, read once at cold start:
 * `RETENTION_DAYS` (default 365), how long after closing a case keeps its personal data;
 * `OPEN_RETENTION_DAYS` (default 365, at least 60), how long a case left open keeps it with no change.
 */
import { logger } from '#functions/lib/logger.ts';
import { getPlatform, type Platform } from '#functions/lib/platform.ts';
import { makeRetention } from './retain.ts';

export const DEFAULT_RETENTION_DAYS = 365;
/**
 * A case nobody has touched for a year has kept its data as long as a case closed on its last day of activity
 * would have: leaving a case open must not keep personal data longer than closing it.
 */
export const DEFAULT_OPEN_RETENTION_DAYS = 365;
/**
 * Floor for the open-case period: the longest staff target is 14 working days and a referral's own deadline
 * runs on top of it, so a period shorter than two months could take the number off a case still being worked.
 */
export const MIN_OPEN_RETENTION_DAYS = 60;

function daysFromEnv(raw: string | undefined, name: string, fallback: number, min: number): number {
  const days = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(days) || days < min)
    throw new Error(`${name} must be a whole number of days, at least ${min}`);
  return days;
}

export const retentionDaysFromEnv = (env: NodeJS.ProcessEnv = process.env): number =>
  daysFromEnv(env.RETENTION_DAYS, 'RETENTION_DAYS', DEFAULT_RETENTION_DAYS, 1);

export const openRetentionDaysFromEnv = (env: NodeJS.ProcessEnv = process.env): number =>
  daysFromEnv(
    env.OPEN_RETENTION_DAYS,
    'OPEN_RETENTION_DAYS',
    DEFAULT_OPEN_RETENTION_DAYS,
    MIN_OPEN_RETENTION_DAYS,
  );

const options = { retentionDays: retentionDaysFromEnv(), openInactiveDays: openRetentionDaysFromEnv() };
let cached: { platform: Platform; job: ReturnType<typeof makeRetention> } | undefined;

export const handler = async (_event: unknown): Promise<void> => {
  const platform = await getPlatform();
  if (cached?.platform !== platform) cached = { platform, job: makeRetention(platform, options) };
  const report = await cached.job.run();
  logger.info('retention done', { code: 'RETENTION.DONE', ...report });
};
