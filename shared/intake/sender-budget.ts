/**
 * A number's message budget: how many messages it may send in a rolling hour and still have each one open a case of
 * its own and get its own answer (a paid SMS). Past the budget a message still counts: it threads onto the number's
 * open case, without an answer; the first message past it is answered once, in the person's language, to say so.
 *
 * The count is read from the number's own item, which already holds every message of the last two days (pending, or
 * as its outcome: sender.ts), as it was before the message. The webhook gets that "before" image back from the write
 * that stores the message, and the inbox worker gets the same image from the stream record, so both arrive at the
 * same standing without a request more, on any transport that goes through the intake.
 */
import { inboxEntry, type SenderState } from './sender.ts';

export interface SenderBudget {
  /** Messages within the window that each open a case and get an answer. */
  messages: number;
  windowMs: number;
}

/**
 * Five an hour: a person who writes their complaint in several messages, answers a question and asks for a status is
 * well within it; a phone left texting in a loop (or a script) is not. Fifteen messages from one number make at
 * most five cases and six answers.
 */
export const SENDER_BUDGET: SenderBudget = { messages: 5, windowMs: 3_600_000 };

/**
 * - `within`: the message is handled as any other;
 * - `notice`: the first past the budget: it joins the number's open case and is answered with the notice;
 * - `over`: joins the number's open case, unanswered.
 */
export type BudgetStanding = 'within' | 'notice' | 'over';

/** Where a message received at `at` stands, from the number's item as it was before the message. */
export function budgetStanding(
  before: SenderState,
  at: string,
  budget: SenderBudget = SENDER_BUDGET,
): BudgetStanding {
  const from = Date.parse(at) - budget.windowMs;
  let earlier = 0;
  for (const sid of before.inbox.keys()) {
    const entry = inboxEntry(before, sid);
    // No upper bound: the worker records an earlier message's outcome at its own time, which may follow this one.
    if (entry && Date.parse(entry.at) > from) earlier++;
  }
  if (earlier < budget.messages) return 'within';
  return earlier === budget.messages ? 'notice' : 'over';
}
