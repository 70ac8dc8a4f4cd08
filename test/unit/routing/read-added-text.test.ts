/**
 * The one function through which later text changes a case (shared/routing/classify-case.ts), and the report
 * figures it feeds: raise only, what it records, and the downgrade counters.
 */
import { describe, expect, it } from 'vitest';
import { IRAQ_CALENDAR } from '#shared/calendar/iraq-calendar.ts';
import type { Case } from '#shared/cases/case-schema.ts';
import { caseCounters } from '#shared/reports/aggregates.ts';
import { summarise } from '#shared/reports/time-to-close.ts';
import { addedStaffText, classifyCase, hasUnreadText, readAddedText } from '#shared/routing/classify-case.ts';
import { recordRestrictionChange } from '#shared/routing/restriction-record.ts';
import { makeCase, officerCase } from './fixtures.ts';

const ROUTER = { kind: 'system', id: 'router' } as const;
const SEA = 'The distributor told me to come to his house alone at night if I want the extra food basket';
const BENIGN = 'When is the next distribution in the camp?';
const classified = (narrative: string): Case => classifyCase(makeCase({ narrative }));

describe('reading text added to a classified case', () => {
  it('reads only what was appended since the last reading', () => {
    const c = classified(BENIGN);
    expect(c.classification.textRead).toBe(BENIGN.length);
    expect(hasUnreadText(c)).toBe(false);
    const appended = { ...c, narrative: `${BENIGN}\n\n${SEA}` };
    expect(hasUnreadText(appended)).toBe(true);
    const { next, event } = readAddedText(appended, 'narrative', ROUTER);
    expect(next).toMatchObject({ sensitivity: 'S3', category: 'C07' });
    expect(next.classification).toMatchObject({
      textRead: appended.narrative.length,
      basis: 'explicit',
      restrictedBasis: 'explicit',
      automatic: { sensitivity: 'S3', category: 'C07' },
    });
    expect(event).toMatchObject({
      type: 'reclassified',
      actor: ROUTER,
      data: {
        kind: 'raised',
        origin: 'narrative',
        basis: 'explicit',
        before: { sensitivity: 'S0', category: null },
        after: { sensitivity: 'S3', category: 'C07' },
      },
    });
    expect(JSON.stringify(event)).not.toContain('distributor');
    expect(hasUnreadText(next)).toBe(false);
  });

  it('never lowers: a calm follow-up on an S3 case changes nothing but how far it was read', () => {
    const c = classified(SEA);
    expect(c.sensitivity).toBe('S3');
    const appended = { ...c, narrative: `${SEA}\n\n${BENIGN}` };
    const { next, event } = readAddedText(appended, 'narrative', ROUTER);
    expect(event).toBeUndefined();
    expect(next).toMatchObject({ sensitivity: 'S3', category: 'C07' });
    expect(next.classification.textRead).toBe(appended.narrative.length);
  });

  it('does not read again the words behind a restriction a focal point lifted', () => {
    const lifted = officerCase({
      narrative: SEA,
      sensitivity: 'S0',
      classification: {
        source: 'officer',
        evidence: [],
        changedByOfficer: true,
        textRead: SEA.length,
        restrictedBasis: 'explicit',
        lifted: { by: 'local-psea', role: 'psea', at: '2026-12-09T08:00:00.000Z', basis: 'explicit' },
      },
    });
    expect(hasUnreadText(lifted)).toBe(false);
    expect(readAddedText(lifted, 'note', ROUTER, BENIGN).event).toBeUndefined();
    // New words that restrict it again clear the lifted mark.
    const raised = readAddedText(lifted, 'note', ROUTER, SEA).next;
    expect(raised.sensitivity).toBe('S3');
    expect(raised.classification.lifted).toBeUndefined();
    expect(raised.classification.textRead).toBe(SEA.length);
  });

  it('reads operators’ and officers’ notes and callback notes, not a PSEA reviewer’s or a break-glass reason', () => {
    const at = '2026-12-09T08:00:00.000Z';
    const note = (role: string, extra: Record<string, unknown> = {}) => ({
      caseId: 'C',
      eventId: 'E',
      at,
      type: 'note' as const,
      actor: { kind: 'staff' as const, id: `local-${role}`, role },
      reason: SEA,
      ...extra,
    });
    expect(addedStaffText(note('operator'))).toBe(SEA);
    expect(addedStaffText(note('officer'))).toBe(SEA);
    expect(addedStaffText({ ...note('operator'), type: 'callback_requested' })).toBe(SEA);
    expect(addedStaffText(note('psea'))).toBeUndefined();
    expect(addedStaffText(note('admin', { data: { kind: 'break_glass' } }))).toBeUndefined();
    expect(addedStaffText({ ...note('operator'), reason: '  ' })).toBeUndefined();
    expect(addedStaffText({ ...note('operator'), type: 'message_in' })).toBeUndefined();
  });
});

describe('downgrades in the reports', () => {
  const calendar = IRAQ_CALENDAR;
  const restricted = (basis: 'explicit' | 'model' | 'caution', lifted: boolean): Case =>
    makeCase({
      sensitivity: lifted ? 'S0' : 'S3',
      classification: {
        source: lifted ? 'officer' : 'classifier',
        evidence: [],
        changedByOfficer: lifted,
        restrictedBasis: basis,
        ...(lifted ? { lifted: { by: 'local-psea', at: '2026-12-09T08:00:00.000Z', basis } } : {}),
      },
    });

  it('counts each case restricted by the platform by its basis, and those lifted', () => {
    expect(caseCounters(restricted('caution', true), calendar, 'federal')).toMatchObject({
      n_rs: 1,
      n_rs_caution: 1,
      n_dg: 1,
      n_dg_caution: 1,
    });
    const kept = caseCounters(restricted('model', false), calendar, 'federal');
    expect(kept).toMatchObject({ n_rs: 1, n_rs_model: 1 });
    expect(kept.n_dg).toBeUndefined();
    expect(caseCounters(makeCase(), calendar, 'federal').n_rs).toBeUndefined();
  });

  it('reports the share downgraded overall and by basis', () => {
    const rows = [
      restricted('caution', true),
      restricted('caution', true),
      restricted('caution', false),
      restricted('model', true),
      restricted('model', false),
      restricted('explicit', false),
      restricted('explicit', false),
      restricted('explicit', false),
    ].map((c) => ({
      dimension: 'all' as const,
      month: '2026-12',
      group: '*',
      restricted: false,
      counters: caseCounters(c, calendar, 'federal'),
    }));
    const noTimes = { calendar: new Float64Array(0), working: new Float64Array(0) };
    const report = summarise('*', rows, noTimes, new Date('2026-12-10T00:00:00.000Z'));
    expect(report.downgraded).toEqual({
      restricted: 8,
      downgraded: 3,
      share: 0.375,
      byBasis: {
        explicit: { restricted: 3, downgraded: 0, share: 0 },
        model: { restricted: 2, downgraded: 1, share: 0.5 },
        caution: { restricted: 3, downgraded: 2, share: 0.667 },
        person: { restricted: 0, downgraded: 0, share: null },
      },
    });
  });
});

describe('a staff member’s change across the restriction line', () => {
  const at = '2026-12-09T09:00:00.000Z';
  const psea = { id: 'local-psea', role: 'psea' };
  const byCaution = makeCase({
    sensitivity: 'S2',
    classification: {
      source: 'classifier',
      evidence: [],
      changedByOfficer: false,
      restrictedBasis: 'caution',
    },
  });

  it('lifting records who, when and the basis of the restriction', () => {
    const next = { ...byCaution, sensitivity: 'S1' as const };
    expect(recordRestrictionChange(byCaution, next, psea, at).lifted).toEqual({
      by: 'local-psea',
      role: 'psea',
      at,
      basis: 'caution',
    });
  });

  it('restricting again clears it; a change that stays on one side keeps the record as it was', () => {
    const lifted = {
      ...byCaution,
      sensitivity: 'S1' as const,
      classification: {
        ...byCaution.classification,
        lifted: { by: 'local-psea', at, basis: 'caution' as const },
      },
    };
    const again = { ...lifted, sensitivity: 'S3' as const };
    expect(recordRestrictionChange(lifted, again, psea, at).lifted).toBeUndefined();
    const stillOpen = { ...lifted, sensitivity: 'S0' as const };
    expect(recordRestrictionChange(lifted, stillOpen, psea, at)).toEqual(lifted.classification);
    const s2toS3 = { ...byCaution, sensitivity: 'S3' as const };
    expect(recordRestrictionChange(byCaution, s2toS3, psea, at)).toEqual(byCaution.classification);
  });
});

describe('a follow-up read after what the person said before', () => {
  it('the model alone does not restrict a few words it reads differently after the message they follow', () => {
    const c = classified('We have not received the cash assistance for three months');
    expect(c.sensitivity).toBe('S0');
    const appended = {
      ...c,
      narrative: `${c.narrative}\n\nwe still have nothing and the children are hungry`,
    };
    const { next, event } = readAddedText(appended, 'narrative', ROUTER);
    expect(event).toBeUndefined();
    expect(next.sensitivity).toBe('S0');
  });

  it('explicit words restrict however short the follow-up and whatever came before', () => {
    const c = classified('We have not received the cash assistance for three months');
    const appended = { ...c, narrative: `${c.narrative}\n\nThe volunteer came to our tent at night` };
    expect(readAddedText(appended, 'narrative', ROUTER).next).toMatchObject({
      sensitivity: 'S3',
      category: 'C07',
    });
  });
});
