/**
 * The console's only door to the platform's HTTP API. Every path, header and response shape the console relies on
 * is here, so following a change in the staff API means editing this module alone. Responses are read
 * tolerantly (a list may come as `items` or `cases`, a case with or without its timeline beside it) because the
 * console must keep working while the API grows.
 */
import type { OUTCOMES } from '#shared/messages/templates.ts';

export type Role = 'operator' | 'officer' | 'psea' | 'manager' | 'admin';

export interface CaseEvent {
  eventId: string;
  at: string;
  type: string;
  actor: { kind: string; id?: string; role?: string };
  fromStatus?: string;
  toStatus?: string;
  reason?: string;
  data?: Record<string, unknown>;
}

/** The person's answer on sharing their case with a partner, and how it was recorded. */
export interface ShareConsent {
  given: boolean;
  how: 'intake' | 'phone_call' | 'in_person' | 'sms' | 'web_form';
  at: string;
  recordedBy?: string;
}

/** An agency of the deployment, as the case detail names them (absent where the deployment has none). */
export interface AgencyOption {
  agencyId: string;
  /** Absent for the default agency when no record names it. */
  name?: string;
}

/** A focal point the case detail mentions, by name (ids and names only). */
export interface FocalPointName {
  focalPointId: string;
  name: string;
}

/** A referral partner as the case detail offers it to officers. */
export interface PartnerOption {
  partnerId: string;
  name: string;
  receives: string[];
  sectors?: string[];
}

/** What another person changed, as a 409 names it. */
export interface ChangeByOther {
  at: string;
  actor: CaseEvent['actor'];
  type: string;
  fromStatus?: string;
  toStatus?: string;
  data?: Record<string, unknown>;
}

export interface CaseRecord {
  caseId: string;
  reference: string;
  version: number;
  status: string;
  channel: string;
  /** What carried the message in (`whatsapp`, `gateway`, `kobo`; `sms` or none for the others). */
  transport?: string;
  language: string;
  type: string | null;
  category: string | null;
  sector?: string | null;
  sensitivity: string;
  urgency: string;
  classification?: {
    source: string;
    confidence?: number;
    evidence?: string[];
    automatic?: { type: string; category: string | null; sensitivity: string; urgency: string };
    changedByOfficer?: boolean;
  };
  narrative?: string;
  location?: { governorate?: string; district?: string };
  programme?: string;
  populationGroup?: string;
  sex?: string;
  ageBand?: string;
  consentToFollowUp?: boolean;
  contact?: { phone?: string; name?: string; hasPhone?: boolean; hasName?: boolean };
  /** In list rows: the next due time (acknowledgement while new, resolution after). */
  dueAt?: string;
  restricted?: boolean;
  /** In list rows: why the platform's reading restricted the case, while that restriction stands. */
  restrictedBy?: 'none' | 'explicit' | 'model' | 'caution' | 'person';
  focalPoints?: string[];
  snippet?: string;
  receivedAt: string;
  acknowledgedAt?: string;
  firstActionAt?: string;
  resolvedAt?: string;
  closedAt?: string;
  outcome?: string;
  satisfaction?: string;
  loopClosedBy?: string;
  routing?: { focalPoints: string[]; ruleId: string; routedAt: string };
  sla?: {
    policyId: string;
    clock: '24x7' | 'working';
    acknowledgeBy: string;
    resolveBy: string;
    pausedMs?: number;
    pausedSince?: string;
  };
  assignee?: string;
  waitingOn?: string;
  referral?: {
    partner: string;
    status: string;
    dueBy?: string;
    partnerId?: string;
    share?: 'consented' | 'anonymous';
    fields?: string[];
  };
  consentToShare?: ShareConsent;
  /** The case's agency; absent where the deployment has no agencies (or on cases from before). */
  agency?: string;
  outcomeMessage?: string;
  /** The person wrote again after the last staff action. */
  newMessage?: boolean;
  lastMessageInAt?: string;
  linkedCaseIds?: string[];
  updatedAt: string;
}

export interface CasePage {
  items: CaseRecord[];
  nextCursor?: string;
  count?: number;
}

export interface CaseFilters {
  status?: string;
  category?: string;
  governorate?: string;
  channel?: string;
  focalPoint?: string;
  assignee?: string;
  overdue?: boolean;
  text?: string;
  from?: string;
  to?: string;
  cursor?: string;
  limit?: number;
}

export interface NewCase {
  channel: string;
  narrative: string;
  language: string;
  phone?: string;
  name?: string;
  type?: string;
  category?: string;
  consentToFollowUp?: boolean;
  consentToShare?: boolean;
  location?: { governorate?: string; district?: string };
  resolvedOnContact?: { outcome: string; note?: string };
  callback?: { note?: string };
}

/** The answer to logging a case: a restricted case is no longer the operator's to see. */
export interface LoggedCase {
  caseId: string;
  reference: string;
  status: string;
  version: number;
  restricted?: boolean;
  visibleToYou?: boolean;
}

export interface TransitionInput {
  action: 'acknowledge' | 'start' | 'resolve' | 'close' | 'reopen';
  reason?: string;
  outcome?: (typeof OUTCOMES)[number];
  /** With `resolve`: the officer's own words to the person, in their language (sent with the outcome SMS). */
  message?: string;
}

/** Exact median and 90th percentile of the times to close of `count` closed cases, in milliseconds. */
export interface Figure {
  count: number;
  medianMs?: number;
  p90Ms?: number;
}

/** One group of the time-to-close report (shared/reports/time-to-close.ts). */
export interface ReportGroup {
  group: string;
  /** Cases received in the period. */
  received: number;
  /** Of those, the ones closed by now. */
  closed: number;
  timeToClose: { calendar: Figure; working: Figure };
  withinSla: { resolved: number; within: number; share: number | null };
  loopClosed: { closed: number; loopClosed: number; share: number | null };
  classification?: { automatic: number; changedByOfficer: number; share: number | null };
  /** Only in reports that include restricted cases (PSEA). */
  downgraded?: DowngradeFigure & {
    byBasis: Record<'explicit' | 'model' | 'caution' | 'person', DowngradeFigure>;
  };
  backlog: { open: number; byAge: Record<string, number> };
}

export interface DowngradeFigure {
  restricted: number;
  downgraded: number;
  share: number | null;
}

export interface TimeToCloseReport {
  from: string;
  to: string;
  groupBy: string;
  /** Whether the groups hold restricted cases (only for roles allowed them). */
  includesRestricted: boolean;
  groups: ReportGroup[];
  /** Every case received in the period, restricted ones included. */
  total: ReportGroup;
  /** How many of the period's cases are restricted (S2/S3), and whether the groups show them. */
  restricted: { received: number; closed: number; open: number; inGroups: boolean };
}

export { OUTCOMES } from '#shared/messages/templates.ts';

/** An error answer of the API with its stable code. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

let apiBase = '';
let bearer: string | undefined;
let onUnauthorised: () => void = () => undefined;

/** Where the API is (empty for the same origin, as in the local stack) and the token to send. */
export function configureApi(options: {
  baseUrl?: string;
  token?: string;
  onUnauthorised?: () => void;
}): void {
  if (options.baseUrl !== undefined) apiBase = options.baseUrl.replace(/\/$/, '');
  bearer = options.token;
  if (options.onUnauthorised) onUnauthorised = options.onUnauthorised;
}

async function request<T>(
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string>; raw?: boolean } = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  const res = await fetch(`${apiBase}${path}`, { method, headers, body });
  if (res.status === 401) onUnauthorised();
  if (!res.ok) {
    let code = `HTTP.${res.status}`;
    let message = res.statusText;
    let details: unknown;
    try {
      const parsed = (await res.json()) as { error?: { code?: string; message?: string; details?: unknown } };
      code = parsed.error?.code ?? code;
      message = parsed.error?.message ?? message;
      details = parsed.error?.details;
    } catch {
      // not JSON: keep the status
    }
    throw new ApiError(res.status, code, message, details);
  }
  if (options.raw) return res as unknown as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

const query = (params: Record<string, string | number | boolean | undefined>): string => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== '' && v !== false) q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
};

const listOf = <T>(value: unknown, ...keys: string[]): T[] => {
  if (Array.isArray(value)) return value as T[];
  if (value && typeof value === 'object') {
    for (const k of keys) {
      const v = (value as Record<string, unknown>)[k];
      if (Array.isArray(v)) return v as T[];
    }
  }
  return [];
};

function toPage(value: unknown): CasePage {
  const v = (value ?? {}) as { nextCursor?: string; cursor?: string; count?: number; total?: number };
  return {
    items: listOf<CaseRecord>(value, 'items', 'cases'),
    nextCursor: v.nextCursor ?? v.cursor,
    count: v.count ?? v.total,
  };
}

// ---- local stack only --------------------------------------------------------------------------------------

export interface LocalUser {
  userId: string;
  name: string;
  role: Role;
  governorates?: string[];
  focalPointId?: string;
}

/** The local users to sign in as: `GET /dev/token` is the one /dev route open before sign-in. */
export const devUsers = async (): Promise<LocalUser[]> =>
  listOf<LocalUser>(await request<unknown>('GET', '/dev/token'), 'users');

export const devToken = async (who: { role?: string; userId?: string }): Promise<string> =>
  (await request<{ token: string }>('POST', '/dev/token', { body: who })).token;

export const devOutbox = async (): Promise<Record<string, unknown>[]> =>
  listOf(await request<unknown>('GET', '/dev/outbox'), 'messages', 'items', 'outbox');

/** The local stack's clock (`GET /dev/clock`): the time the platform reads and how far ahead it runs. */
export const devClock = async (): Promise<{ now: string; offset: string; offsetMs: number }> =>
  request('GET', '/dev/clock');

export const devInbox = async (): Promise<Record<string, unknown>[]> =>
  listOf(await request<unknown>('GET', '/dev/inbox'), 'notifications', 'messages', 'items');

/** Posts a form to a Twilio webhook as Twilio would; the caller computed the signature. Answers TwiML text. */
export async function postTwilioForm(
  path: string,
  params: Record<string, string>,
  signature: string,
): Promise<{ status: number; text: string }> {
  const res = await fetch(`${apiBase}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
    body: new URLSearchParams(params).toString(),
  });
  return { status: res.status, text: await res.text() };
}

// ---- cases ---------------------------------------------------------------------------------------------------

export const listCases = async (filters: CaseFilters = {}): Promise<CasePage> =>
  toPage(await request<unknown>('GET', `/api/cases${query({ ...filters })}`));

export async function getCase(caseId: string): Promise<{
  case: CaseRecord;
  timeline: CaseEvent[];
  partners: PartnerOption[];
  agencies: AgencyOption[];
  focalPoints: FocalPointName[];
  cluster: CaseCluster | null;
}> {
  const value = await request<Record<string, unknown>>('GET', `/api/cases/${encodeURIComponent(caseId)}`);
  const c = (value.case ?? value) as CaseRecord & { timeline?: CaseEvent[] };
  const timeline = listOf<CaseEvent>(value.timeline ?? c.timeline ?? value.events, 'items');
  return {
    case: c,
    timeline,
    partners: listOf<PartnerOption>(value.partners, 'items'),
    agencies: listOf<AgencyOption>(value.agencies, 'items'),
    focalPoints: listOf<FocalPointName>(value.focalPoints, 'items'),
    cluster: (value.cluster as CaseCluster | undefined) ?? null,
  };
}

// ---- clusters (functions/cases/cluster-service.ts) -------------------------------------------------------------

/** A cluster of similar open complaints, as anyone who may list clusters sees it: no references, no text. */
export interface ClusterSummary {
  clusterId: string;
  category: string;
  governorate?: string;
  district?: string;
  status: 'open' | 'resolved' | 'dissolved';
  size: number;
  createdAt: string;
  newestAt: string;
}

/** The cluster on a case's page: its other members the reader may open. */
export interface CaseCluster extends ClusterSummary {
  members: { caseId: string; reference: string; status: string }[];
}

export interface ClusterMemberRecord {
  caseId: string;
  reference: string;
  status: string;
  version: number;
  language: string;
  receivedAt: string;
  consentToFollowUp: boolean;
}

export interface ClusterResolution {
  clusterId: string;
  resolved: { caseId: string; reference: string; version: number }[];
  skipped: { caseId: string; reference: string; status: string; reason: string }[];
  notShown: number;
}

export const listClusters = async (): Promise<ClusterSummary[]> =>
  (await request<{ clusters: ClusterSummary[] }>('GET', '/api/clusters')).clusters;

export const getCluster = async (
  clusterId: string,
): Promise<{ cluster: ClusterSummary; members: ClusterMemberRecord[] }> =>
  request('GET', `/api/clusters/${encodeURIComponent(clusterId)}`);

export const resolveCluster = async (
  clusterId: string,
  body: {
    outcome: string;
    message: string;
    messages?: Partial<Record<string, string>>;
    versions: Record<string, number>;
  },
): Promise<ClusterResolution> =>
  request('POST', `/api/clusters/${encodeURIComponent(clusterId)}/resolve`, { body });

const unwrapCase = (value: unknown): CaseRecord =>
  ((value as { case?: CaseRecord }).case ?? value) as CaseRecord;

export const updateCase = async (
  caseId: string,
  version: number,
  change: {
    type?: string;
    category?: string;
    sensitivity?: string;
    urgency?: string;
    assignee?: string | null;
    location?: { governorate?: string; district?: string };
    consentToShare?: { given: boolean; how: 'phone_call' | 'in_person' | 'sms'; at?: string };
    waitingOn?: 'complainant' | null;
    reason?: string;
  },
): Promise<CaseRecord> =>
  unwrapCase(
    await request('PATCH', `/api/cases/${encodeURIComponent(caseId)}`, {
      body: change,
      headers: { 'if-match': String(version) },
    }),
  );

export const transitionCase = async (
  caseId: string,
  version: number,
  input: TransitionInput,
): Promise<CaseRecord> =>
  unwrapCase(
    await request('POST', `/api/cases/${encodeURIComponent(caseId)}/transitions`, {
      body: input,
      headers: { 'if-match': String(version) },
    }),
  );

/** What a referral passes on: the case reference and the value of each field shared. */
export interface ReferralPackage {
  reference: string;
  fields: Record<string, string>;
}

/**
 * Refers the case to a partner record: `consented` passes the fields the partner may receive (only with the
 * person's consent), `anonymous` the summary that identifies nobody.
 */
/** Moves a case to another agency (it leaves the caller's lists); needs the person's consent to sharing. */
export const transferCase = async (
  caseId: string,
  version: number,
  input: { agency: string; reason: string },
): Promise<{ caseId: string; reference: string; version: number; agency: string; visibleToYou: boolean }> =>
  request('POST', `/api/cases/${encodeURIComponent(caseId)}/transfer`, {
    body: input,
    headers: { 'if-match': String(version) },
  });

export const referCase = async (
  caseId: string,
  version: number,
  input: { partnerId: string; share: 'consented' | 'anonymous'; dueBy?: string; reason?: string },
): Promise<CaseRecord & { referralPackage?: ReferralPackage }> =>
  request('POST', `/api/cases/${encodeURIComponent(caseId)}/referral`, {
    body: { action: 'refer', ...input },
    headers: { 'if-match': String(version) },
  });

/** Records the partner's answer to a pending referral. */
export const answerReferral = async (
  caseId: string,
  version: number,
  input: { action: 'accept'; dueBy: string; reason?: string } | { action: 'decline'; reason: string },
): Promise<CaseRecord> =>
  request('POST', `/api/cases/${encodeURIComponent(caseId)}/referral`, {
    body: input,
    headers: { 'if-match': String(version) },
  });

/** An administrator's audited read of a case, with the written reason (the focal points are told). */
export const breakGlass = async (
  caseId: string,
  reason: string,
): Promise<{ case: CaseRecord; timeline: CaseEvent[]; focalPoints?: FocalPointName[] }> =>
  request('POST', `/api/cases/${encodeURIComponent(caseId)}/break-glass`, { body: { reason } });

export const addNote = async (caseId: string, text: string): Promise<unknown> =>
  request('POST', `/api/cases/${encodeURIComponent(caseId)}/notes`, { body: { text } });

export const createCase = async (input: NewCase, idempotencyKey: string): Promise<LoggedCase> =>
  request<LoggedCase>('POST', '/api/cases', { body: input, headers: { 'idempotency-key': idempotencyKey } });

export const lookupCases = async (by: { phone?: string; reference?: string }): Promise<CaseRecord[]> =>
  listOf<CaseRecord>(await request<unknown>('POST', '/api/cases/lookup', { body: by }), 'items', 'cases');

// ---- reports -------------------------------------------------------------------------------------------------

/** The time-to-close report for whole months (`yyyy-mm`), grouped one way. */
export const timeToClose = async (
  groupBy: 'category' | 'channel' | 'governorate' | 'focalPoint' | 'month',
  period: { from?: string; to?: string },
): Promise<TimeToCloseReport> =>
  request<TimeToCloseReport>('GET', `/api/reports/time-to-close${query({ groupBy, ...period })}`);

/** One spike alert (functions/reports/report-service.ts): a category × place × day over its threshold. */
export interface SpikeRecord {
  day: string;
  category: string;
  place: string;
  level: 'district' | 'governorate';
  governorate: string;
  count: number;
  countWhenRaised: number;
  baseline: number;
  threshold: number;
  example: string[];
  raisedAt: string;
}

/** The spike alerts of today and yesterday (Iraqi days), with the rule they were raised by. */
export const spikes = async (): Promise<{
  rule: { minimum: number; ratio: number; plus: number; baselineDays: number };
  days: string[];
  spikes: SpikeRecord[];
}> => request('GET', '/api/reports/spikes');

/** The CSV export, fetched with the token (a plain link could not carry it) and handed back as a blob. */
export async function exportCsv(period: { from?: string; to?: string }): Promise<Blob> {
  const res = await request<Response>('GET', `/api/reports/cases.csv${query(period)}`, {
    raw: true,
    headers: { accept: 'text/csv' },
  });
  return res.blob();
}

// ---- admin ---------------------------------------------------------------------------------------------------

/** The record collections of the admin API (the calendar is one record). */
export const ADMIN_COLLECTIONS = [
  'focal-points',
  'routing-rules',
  'sla-policies',
  'partners',
  'calendar',
] as const;
export type AdminCollection = (typeof ADMIN_COLLECTIONS)[number];

export const adminGet = async (collection: AdminCollection): Promise<unknown> =>
  request('GET', `/api/admin/${collection}`);

/** Creates a record (POST to the collection). */
export const adminCreate = async (collection: AdminCollection, record: unknown): Promise<unknown> =>
  request('POST', `/api/admin/${collection}`, { body: record });

/** Replaces a record under its id (PUT); the calendar, a single record, has none. */
export const adminPut = async (
  collection: AdminCollection,
  id: string | undefined,
  record: unknown,
): Promise<unknown> =>
  request('PUT', `/api/admin/${collection}${id ? `/${encodeURIComponent(id)}` : ''}`, { body: record });

export const adminDelete = async (collection: AdminCollection, id: string): Promise<unknown> =>
  request('DELETE', `/api/admin/${collection}/${encodeURIComponent(id)}`);

export const adminItems = (value: unknown): Record<string, unknown>[] =>
  listOf<Record<string, unknown>>(value, 'items', 'focalPoints', 'rules', 'policies', 'records');

/** A warning the admin API puts on a focal point or a rule (flagged, not refused). */
export interface ConfigWarning {
  code: string;
  focalPointId: string;
  ruleId?: string;
}

export interface StaffUser {
  userId: string;
  name: string;
  role: Role;
  focalPointId?: string;
}

/** The staff users (local stack only; in AWS users live in Cognito and the API answers 501). */
export const adminUsers = async (): Promise<StaffUser[] | undefined> => {
  try {
    return listOf<StaffUser>(await request<unknown>('GET', '/api/admin/users'), 'items');
  } catch (err) {
    if (err instanceof ApiError && err.status === 501) return undefined;
    throw err;
  }
};

export interface AuditEntry {
  auditId: string;
  at: string;
  who: { userId: string; roles: string[] };
  action: string;
  caseIds: string[];
  why: string;
  via: string;
}

/** A page of the audit trail, newest first: one case, one user (or both), else one day. */
export const auditTrail = async (q: {
  caseId?: string;
  userId?: string;
  date?: string;
  cursor?: string;
  limit?: number;
}): Promise<{ items: AuditEntry[]; cursor?: string }> => {
  const value = await request<{ items?: AuditEntry[]; cursor?: string }>(
    'GET',
    `/api/admin/audit${query({ ...q })}`,
  );
  return { items: value.items ?? [], ...(value.cursor ? { cursor: value.cursor } : {}) };
};

/** An operator on the hotline roster, as the admin API shows them (the phone only to admins). */
export interface RosterOperator {
  operatorId: string;
  name: string;
  phone?: string;
  client?: string;
  languages: string[];
  gender: 'female' | 'male';
  onDuty: boolean;
  userId?: string;
}

export const rosterList = async (): Promise<RosterOperator[]> =>
  listOf<RosterOperator>(await request('GET', '/api/admin/roster'), 'items');
export const rosterCreate = async (o: RosterOperator): Promise<RosterOperator> =>
  request('POST', '/api/admin/roster', { body: o });
export const rosterPut = async (o: RosterOperator): Promise<RosterOperator> =>
  request('PUT', `/api/admin/roster/${encodeURIComponent(o.operatorId)}`, { body: o });
export const rosterDelete = async (operatorId: string): Promise<void> =>
  request('DELETE', `/api/admin/roster/${encodeURIComponent(operatorId)}`);

/** A hotline call put through to the signed-in operator, waiting to be completed. */
export interface LiveCallRecord {
  caseId: string;
  reference: string;
  version: number;
  language: string;
  type: string | null;
  category: string | null;
  location: { governorate?: string; district?: string };
  receivedAt: string;
  answeredBy?: string;
  durationSeconds?: number;
  recordingConsent: boolean;
}

export interface LiveCallCompletion {
  summary: string;
  type?: string | undefined;
  category?: string | undefined;
  location?: { governorate?: string | undefined; district?: string | undefined } | undefined;
}

export const liveCalls = async (): Promise<LiveCallRecord[]> =>
  listOf<LiveCallRecord>(await request('GET', '/api/live-calls'), 'items');
export const completeLiveCall = async (
  caseId: string,
  version: number,
  body: LiveCallCompletion,
): Promise<{ reference: string; status: string; restricted: boolean }> =>
  request('POST', `/api/live-calls/${encodeURIComponent(caseId)}/complete`, {
    body,
    headers: { 'if-match': String(version) },
  });
