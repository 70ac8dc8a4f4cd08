/** Reading the records routing and SLA are chosen from ("routing is data"). */
import { IRAQ_CALENDAR } from '../calendar/iraq-calendar.ts';
import type { ConfigStore } from '../config/config-store.ts';
import type { RoutingConfig } from './route-plan.ts';

/** The id of the working calendar the SLA clocks use. */
export const CALENDAR_ID = IRAQ_CALENDAR.id;

/** Reads the routing configuration (one query per kind); a missing calendar falls back to the built-in. */
export async function loadRoutingConfig(config: ConfigStore): Promise<RoutingConfig> {
  const [focalPoints, rules, slaPolicies, calendar, agencies] = await Promise.all([
    config.list('focal-point'),
    config.list('routing-rule'),
    config.list('sla-policy'),
    config.get('calendar', CALENDAR_ID),
    config.list('agency'),
  ]);
  return { focalPoints, rules, slaPolicies, calendar: calendar ?? IRAQ_CALENDAR, agencies };
}
