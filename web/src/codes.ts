/** The closed lists the console offers in its selects; they mirror shared/classification/taxonomy.ts. */
export const STATUSES = [
  'new',
  'acknowledged',
  'in_progress',
  'referred',
  'resolved',
  'closed',
  'reopened',
] as const;
export const OPEN_STATUSES = ['new', 'acknowledged', 'in_progress', 'referred', 'reopened'] as const;
export const CHANNELS = [
  'sms',
  'voice',
  'web',
  'hotline',
  'walk_in',
  'complaint_box',
  'community_meeting',
] as const;
export const OPERATOR_CHANNELS = ['hotline', 'walk_in', 'complaint_box', 'community_meeting'] as const;
export const TYPES = [
  'question',
  'request',
  'suggestion',
  'complaint',
  'praise',
  'observation',
  'incomplete',
] as const;
export const CATEGORIES = ['C01', 'C02', 'C03', 'C04', 'C05', 'C06', 'C07', 'C08', 'C09', 'C10'] as const;
export const SENSITIVITIES = ['S0', 'S1', 'S2', 'S3'] as const;
export const URGENCIES = ['urgent', 'action', 'monitor', 'none'] as const;
