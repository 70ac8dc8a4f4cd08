import type { ConfigStore } from '../config/config-store.ts';
import { DEFAULT_AGENCY } from './agency-id.ts';

/**
 * Every agency whose case partitions a deployment-wide job (the SLA sweeper, retention) must read: the default
 * agency and every agency record, inactive ones too (their open cases still run their clocks). An agency record is
 * deactivated rather than deleted for that reason.
 */
export async function agencyPartitions(config: ConfigStore): Promise<string[]> {
  const ids = (await config.list('agency')).map((a) => a.agencyId).filter((id) => id !== DEFAULT_AGENCY);
  return [DEFAULT_AGENCY, ...ids];
}
