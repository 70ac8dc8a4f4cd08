import { describe, expect, it } from 'vitest';
import { CASE_STATUSES } from '#shared/cases/case-schema.ts';
import { LANGUAGES, SENSITIVITIES } from '#shared/classification/taxonomy.ts';
import { DEFAULT_IVR_PROMPTS } from '#shared/intake/ivr-prompts.ts';
import { STATUS_NOTICES, statusNotice, statusReply } from '#shared/intake/status-request.ts';
import { segmentsOf } from '#shared/messages/segments.ts';
import { OUTCOMES, render } from '#shared/messages/templates.ts';

const REF = 'K7MQ-4XZ9';

describe('the answer to a status request', () => {
  it('fits one SMS segment for every status, sensitivity, outcome and language, and names the case', () => {
    for (const language of LANGUAGES) {
      for (const status of CASE_STATUSES) {
        for (const sensitivity of SENSITIVITIES) {
          for (const outcome of [undefined, ...OUTCOMES]) {
            for (const waitingOn of [undefined, 'complainant'] as const) {
              const text = statusReply({ reference: REF, status, sensitivity, outcome, waitingOn }, language);
              const { segments, units, encoding } = segmentsOf(text);
              expect(segments, `${language} ${status} ${sensitivity}: ${text} (${units} ${encoding})`).toBe(
                1,
              );
              expect(text).toContain(REF);
            }
          }
        }
      }
    }
  });

  it('says where the case is and what comes next', () => {
    const at = (status: (typeof CASE_STATUSES)[number], extra = {}) =>
      statusNotice({ reference: REF, status, sensitivity: 'S0', ...extra });
    expect(at('new')).toBe('new');
    expect(at('acknowledged')).toBe('working');
    expect(at('in_progress')).toBe('working');
    expect(at('reopened')).toBe('working');
    expect(at('referred')).toBe('referred');
    expect(at('resolved')).toBe('resolved');
    expect(at('resolved', { waitingOn: 'complainant' })).toBe('awaiting_answer');
    expect(at('closed')).toBe('closed');
    expect(statusReply({ reference: REF, status: 'in_progress', sensitivity: 'S1' }, 'en')).toBe(
      'Case K7MQ-4XZ9: we are working on it and will contact you when there is news.',
    );
    // Waiting on the person's answer: the outcome and the one-key question again.
    expect(
      statusReply(
        {
          reference: REF,
          status: 'resolved',
          waitingOn: 'complainant',
          outcome: 'corrected',
          sensitivity: 'S0',
        },
        'ar',
      ),
    ).toBe(render('resolved', 'ar', { ref: REF, outcome: 'corrected' }));
  });

  it('says only "received, being handled" for a restricted case, whatever its state', () => {
    for (const status of CASE_STATUSES) {
      for (const sensitivity of ['S2', 'S3'] as const) {
        expect(statusNotice({ reference: REF, status, sensitivity })).toBe('restricted');
        for (const language of LANGUAGES) {
          expect(statusReply({ reference: REF, status, sensitivity }, language)).toBe(
            render('status_restricted', language, { ref: REF }),
          );
        }
      }
    }
  });

  it('has a hotline prompt for every notice in every language', () => {
    const ids = {
      new: 'statusNew',
      working: 'statusWorking',
      referred: 'statusReferred',
      awaiting_answer: 'statusAwaitingAnswer',
      resolved: 'statusResolved',
      closed: 'statusClosed',
      restricted: 'statusRestricted',
    } as const;
    for (const language of LANGUAGES) {
      for (const notice of STATUS_NOTICES) {
        const prompt = DEFAULT_IVR_PROMPTS[language].prompts[ids[notice]] as { say?: string };
        expect(prompt.say?.length, `${language} ${notice}`).toBeGreaterThan(10);
      }
    }
  });
});
