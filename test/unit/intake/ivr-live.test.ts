import { describe, expect, it } from 'vitest';
import { decide, readsReference } from '#shared/intake/ivr.ts';
import {
  gendersOnDuty,
  operatorsToDial,
  parseRosterOperator,
  type RosterOperator,
} from '#shared/roster/roster.ts';
import { ivrInput } from './ivr-input.ts';

const input = ivrInput;

const op = (o: Partial<RosterOperator> & Pick<RosterOperator, 'operatorId'>): RosterOperator => ({
  name: o.operatorId,
  languages: ['ar'],
  gender: 'female',
  onDuty: true,
  phone: '+9647500000001',
  ...o,
});

const ROSTER = [
  op({ operatorId: 'huda', gender: 'female', phone: '+9647501110001' }),
  op({ operatorId: 'sara', gender: 'female', onDuty: false, phone: '+9647501110002' }),
  op({ operatorId: 'ali', gender: 'male', languages: ['ar', 'ckb'], phone: '+9647501110003' }),
  op({ operatorId: 'karwan', gender: 'male', languages: ['ckb'], client: 'karwan', phone: undefined }),
];

const both = {
  genders: ['female', 'male'] as const,
  targets: [{ operatorId: 'huda', phone: '+9647501110001' }],
};

describe('the roster: who a caller can be put through to', () => {
  it('offers a choice of gender only where both are on duty in the language', () => {
    expect(gendersOnDuty(ROSTER, 'ar')).toEqual(['female', 'male']);
    expect(gendersOnDuty(ROSTER, 'ckb')).toEqual(['male']);
    expect(gendersOnDuty(ROSTER, 'kmr')).toEqual([]);
  });

  it('dials the on-duty operators of the language and the chosen gender, never one off duty', () => {
    expect(operatorsToDial(ROSTER, 'ar', 'female').map((o) => o.operatorId)).toEqual(['huda']);
    expect(operatorsToDial(ROSTER, 'ar', 'male').map((o) => o.operatorId)).toEqual(['ali']);
    expect(operatorsToDial(ROSTER, 'ar', undefined).map((o) => o.operatorId)).toEqual(['ali', 'huda']);
    expect(operatorsToDial(ROSTER, 'ckb', undefined).map((o) => o.operatorId)).toEqual(['ali', 'karwan']);
  });

  it('refuses an operator with neither a number nor a client identity, with its own code and no value echoed', () => {
    const attempt = () =>
      parseRosterOperator({ operatorId: 'x', name: 'X', languages: ['ar'], gender: 'male', onDuty: true });
    expect(attempt).toThrow(expect.objectContaining({ status: 400, code: 'ROSTER.NO_ENDPOINT' }));
    try {
      parseRosterOperator({
        operatorId: 'x',
        name: 'X',
        phone: '07701234567',
        languages: ['ar'],
        gender: 'male',
      });
      expect.unreachable();
    } catch (err) {
      expect(err).toMatchObject({ status: 400, code: 'REQUEST.INVALID' });
      expect(JSON.stringify(err)).not.toContain('07701234567');
      expect(String((err as Error).message)).not.toContain('07701234567');
    }
  });
});

describe('IVR: speak to a person', () => {
  it('offers key 3 at the action menu in office hours when someone is on duty, and not otherwise', () => {
    expect(decide('topic', input('3', { l: 'ar' }, { live: both })).screen).toMatchObject({ live: true });
    expect(
      decide('topic', input('3', { l: 'ar' }, { live: { genders: [], targets: [] } })).screen,
    ).toMatchObject({
      live: false,
    });
    expect(decide('topic', input('3', { l: 'ar' }, { live: both, closed: true })).screen).toMatchObject({
      live: false,
    });
  });

  it('asks for a woman or a man when both are on duty, and goes straight to consent when only one is', () => {
    expect(decide('action', input('3', { l: 'ar', t: 'complaint' }, { live: both })).screen).toEqual({
      kind: 'gender_menu',
      language: 'ar',
      topic: 'complaint',
      attempt: 0,
    });
    const one = { genders: ['male'] as const, targets: [{ operatorId: 'ali', phone: '+9647501110003' }] };
    expect(decide('action', input('3', { l: 'ckb', t: 'question' }, { live: one })).screen).toEqual({
      kind: 'consent_menu',
      language: 'ckb',
      topic: 'question',
    });
    expect(decide('gender', input('1', { l: 'ar', t: 'complaint' }, { live: both })).screen).toEqual({
      kind: 'consent_menu',
      language: 'ar',
      topic: 'complaint',
      gender: 'female',
    });
    expect(decide('gender', input('3', { l: 'ar', t: 'complaint' }, { live: both })).screen).toEqual({
      kind: 'consent_menu',
      language: 'ar',
      topic: 'complaint',
    });
  });

  it('records only with a yes: key 1 records, silence or any other key does not', () => {
    const yes = decide('consent', input('1', { l: 'ar', t: 'complaint', g: 'female' }, { live: both }));
    expect(yes.screen).toMatchObject({ kind: 'dial', record: true, targets: both.targets });
    expect(yes.effects).toContainEqual({
      kind: 'live_dial',
      operatorIds: ['huda'],
      gender: 'female',
      record: true,
    });
    for (const digits of [undefined, '2', '9']) {
      const no = decide('consent', input(digits, { l: 'ar', t: 'complaint' }, { live: both }));
      expect(no.screen, String(digits)).toMatchObject({ kind: 'dial', record: false });
      expect(no.effects).toContainEqual({ kind: 'live_dial', operatorIds: ['huda'], record: false });
    }
  });

  it('falls back to the voice message or callback menu when nobody is on duty any more', () => {
    const none = { genders: [], targets: [] };
    for (const step of ['action', 'consent'] as const) {
      const d = decide(step, input(step === 'action' ? '3' : '1', { l: 'en', t: 'request' }, { live: none }));
      expect(d.screen, step).toEqual({
        kind: 'action_menu',
        language: 'en',
        topic: 'request',
        attempt: 0,
        notice: 'live_unavailable',
        live: false,
        tried: true,
      });
      expect(d.effects).toEqual([]);
    }
  });

  it.each(['no-answer', 'busy', 'failed', 'canceled'] as const)(
    'a dial that ends %s records the outcome and offers the voice message or callback, without key 3',
    (status) => {
      const d = decide('dialled', input(undefined, { l: 'ar', t: 'complaint' }, { dial: { status } }));
      expect(d.screen).toMatchObject({
        kind: 'action_menu',
        notice: 'live_missed',
        live: false,
        tried: true,
      });
      expect(d.effects).toEqual([
        { kind: 'open_case', language: 'ar', topic: 'complaint' },
        { kind: 'live_outcome', status },
      ]);
      // Key 3 is no longer a live call on that menu: it is a wrong key.
      const again = decide('action', input('3', { l: 'ar', t: 'complaint', x: '1' }, { live: both }));
      expect(again.screen).toMatchObject({ kind: 'action_menu', notice: 'invalid', live: false });
    },
  );

  it('an answered dial ends with the reference; a dial step without its status is refused', () => {
    const d = decide(
      'dialled',
      input(undefined, { l: 'ar', t: 'complaint' }, { dial: { status: 'completed', durationSeconds: 240 } }),
    );
    expect(d.screen).toEqual({ kind: 'live_done', language: 'ar' });
    expect(readsReference(d.screen)).toBe(true);
    expect(d.effects).toContainEqual({ kind: 'live_outcome', status: 'completed', durationSeconds: 240 });
    expect(decide('dialled', input(undefined, { l: 'ar', t: 'complaint' })).screen.kind).toBe('unknown_step');
  });
});
