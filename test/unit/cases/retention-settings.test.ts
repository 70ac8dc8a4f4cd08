import { describe, expect, it } from 'vitest';
import { openRetentionDaysFromEnv, retentionDaysFromEnv } from '#functions/retention/handler.ts';

describe('retention settings', () => {
  it('keeps personal data of closed and of inactive open cases for a year unless set', () => {
    expect(retentionDaysFromEnv({})).toBe(365);
    expect(openRetentionDaysFromEnv({})).toBe(365);
    expect(openRetentionDaysFromEnv({ OPEN_RETENTION_DAYS: '180' })).toBe(180);
  });

  it('refuses an open-case period short enough to reach cases still being worked', () => {
    expect(() => openRetentionDaysFromEnv({ OPEN_RETENTION_DAYS: '59' })).toThrow(
      'OPEN_RETENTION_DAYS must be a whole number of days, at least 60',
    );
    expect(() => openRetentionDaysFromEnv({ OPEN_RETENTION_DAYS: '90.5' })).toThrow('OPEN_RETENTION_DAYS');
    expect(() => retentionDaysFromEnv({ RETENTION_DAYS: '0' })).toThrow('RETENTION_DAYS');
  });
});
