/**
 * Scheduled retention job (EventBridge Scheduler, `rate(1 day)`). Setting, read once at cold start:
 * `RETENTION_DAYS` (default 365), how long after closing a case keeps its personal data.
 */
import { logger } from '#functions/lib/logger.ts';
import { getPlatform, type Platform } from '#functions/lib/platform.ts';
import { makeRetention } from './retain.ts';

export const DEFAULT_RETENTION_DAYS = 365;

export function retentionDaysFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.RETENTION_DAYS;
  const days = raw === undefined || raw === '' ? DEFAULT_RETENTION_DAYS : Number(raw);
  if (!Number.isInteger(days) || days < 1)
    throw new Error('RETENTION_DAYS must be a whole number of days, at least 1');
  return days;
}

const retentionDays = retentionDaysFromEnv();
let cached: { platform: Platform; job: ReturnType<typeof makeRetention> } | undefined;

export const handler = async (_event: unknown): Promise<void> => {
  const platform = await getPlatform();
  if (cached?.platform !== platform) cached = { platform, job: makeRetention(platform, { retentionDays }) };
  const report = await cached.job.run();
  logger.info('retention done', { code: 'RETENTION.DONE', ...report });
};
