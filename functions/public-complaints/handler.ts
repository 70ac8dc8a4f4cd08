import * as z from 'zod';
import { type HttpEvent, httpRoute, routeGroup } from '#functions/lib/http-route.ts';
import { getPlatform } from '#functions/lib/platform.ts';
import { header } from '#functions/lib/request.ts';
import { errorBody, type HttpResult, html, json } from '#functions/lib/responses.ts';
import {
  formAnswerForBrowsers,
  isForm,
  lookupAnswerForBrowsers,
  pageLanguage,
  site,
  wantsHtml,
} from './browser.ts';
import { lookupStatus } from './lookup.ts';
import {
  formatDateTime,
  replyByText,
  replyDueText,
  resultPage,
  type StatusField,
  type StatusView,
  statusPage,
} from './pages.ts';
import { normaliseSecret, normaliseTypedReference } from './secret.ts';
import { PUBLIC_STRINGS, type PublicLanguage } from './strings.ts';
import { SubmissionSchema, submitComplaint } from './submit.ts';

/**
 * The public web intake: `POST /api/public/complaints` (JSON from the page's script, or a plain form post when
 * JavaScript is off), and the status for the holder of the secret: `GET /api/public/complaints/{reference}` with the
 * secret in a header (the page's script) or `POST /api/public/complaints/status` with it in the form body (no
 * JavaScript). The secret never travels in a URL.
 * Browsers without JavaScript get whole pages back, in the language they wrote in; scripts get JSON.
 */

const NO_REFERRER = { 'referrer-policy': 'no-referrer' };

/**
 * The address a submission's budget is counted on: the viewer's, as CloudFront reports it in
 * `CloudFront-Viewer-Address` (`<ip>:<port>`), when the request came through the site; otherwise the address API
 * Gateway saw. A caller that reaches the API directly can set that header itself; the route's throttle still holds it.
 */
export function clientAddress(event: HttpEvent): string {
  const viewer = header(event, 'cloudfront-viewer-address');
  const ip = viewer?.slice(0, viewer.lastIndexOf(':') > 0 ? viewer.lastIndexOf(':') : undefined).trim();
  return ip || event.requestContext.http.sourceIp;
}

const submit = httpRoute(
  { auth: 'public', schema: z.object({ body: SubmissionSchema }), accepts: ['json', 'form'] },
  async ({ input, event }) => {
    const result = await submitComplaint(
      await getPlatform(),
      input.body,
      isForm(event) ? 'form' : 'json',
      clientAddress(event),
    );
    const status = result.created ? 201 : 200;
    const lang = input.body.language;
    if (wantsHtml(event)) {
      return html(
        resultPage(lang, {
          ...site(),
          reference: result.reference,
          secret: result.secret,
          ...(result.reply ? { reply: result.reply } : {}),
        }),
        status,
      );
    }
    return json(
      status,
      {
        reference: result.reference,
        secret: result.secret,
        ...(result.reply
          ? {
              reply: {
                workingDays: result.reply.workingDays,
                by: result.reply.by,
                text: replyByText(lang, result.reply),
              },
            }
          : {}),
      },
      NO_REFERRER,
    );
  },
);

const lookupFields = {
  reference: z.string().max(200).optional(),
  secret: z.string().max(200).optional(),
  lang: z.string().max(16).optional(),
};

/**
 * `GET /api/public/complaints/{reference}`: the status for the page's script (and API clients), the secret in the
 * `X-Lookup-Secret` header. A browser opening `/api/public/complaints/status?reference=…` (the confirmation's link)
 * gets the status form with the reference filled in. A secret is never read from the query string: a URL lands in
 * browser history, proxy and CDN logs and Referer headers.
 */
const lookup = httpRoute(
  {
    auth: 'public',
    schema: z.object({
      path: z.object({ reference: z.string().max(200) }),
      query: z.object({ reference: lookupFields.reference, lang: lookupFields.lang }),
      headers: z.object({ 'x-lookup-secret': z.string().max(200).optional() }),
    }),
  },
  async ({ input, event }) => {
    const lang = pageLanguage(event, input.query.lang);
    const typedReference =
      input.query.reference ?? (input.path.reference === 'status' ? '' : input.path.reference);
    const typedSecret = input.headers['x-lookup-secret'];
    // Opened from a confirmation (a reference, never a secret, in the link): the form, filled in, nothing looked up.
    if (wantsHtml(event) && typedSecret === undefined) {
      return html(statusPage(lang, { ...site(), reference: typedReference }), 200);
    }
    return answerLookup(lang, wantsHtml(event), typedReference, typedSecret ?? '');
  },
);

/**
 * `POST /api/public/complaints/status`: the status form without JavaScript, the reference and the secret in the
 * form body, answered with the status page (JSON for a client that asks for it).
 */
const lookupByForm = httpRoute(
  { auth: 'public', schema: z.object({ body: z.object(lookupFields) }), accepts: ['form', 'json'] },
  async ({ input, event }) => {
    const lang = pageLanguage(event, input.body.lang);
    return answerLookup(lang, wantsHtml(event), input.body.reference ?? '', input.body.secret ?? '');
  },
);

/** Looks up a typed reference and secret: the status page for a browser, JSON for a script. */
async function answerLookup(
  lang: PublicLanguage,
  page: boolean,
  typedReference: string,
  typedSecret: string,
): Promise<HttpResult> {
  const reference = normaliseTypedReference(typedReference);
  const secret = normaliseSecret(typedSecret);
  const bad: StatusField[] = [];
  if (!reference) bad.push('reference');
  if (!secret) bad.push('secret');
  if (!reference || !secret) return badLookup(lang, page, typedReference, bad);

  const view = await lookupStatus(await getPlatform(), reference, secret);
  if (page) {
    const answer = view
      ? statusPage(lang, { ...site(), view, reference: view.reference })
      : statusPage(lang, { ...site(), notFound: true, reference: typedReference });
    return html(answer, view ? 200 : 404, NO_REFERRER);
  }
  if (!view) {
    return json(
      404,
      errorBody('COMPLAINT.NOT_FOUND', 'No complaint matches this reference and secret.'),
      NO_REFERRER,
    );
  }
  return json(200, statusDto(lang, view), NO_REFERRER);
}

/** The status for the page's script: the codes, and every sentence and date already written in the language. */
function statusDto(lang: PublicLanguage, view: StatusView) {
  const s = PUBLIC_STRINGS[lang];
  return {
    reference: view.reference,
    status: view.status,
    receivedAt: view.receivedAt,
    updatedAt: view.updatedAt,
    language: lang,
    statusName: s.statusNames[view.status],
    explanation: s.statusExplain[view.status],
    received: formatDateTime(lang, view.receivedAt),
    updated: formatDateTime(lang, view.updatedAt),
    ...(view.reply
      ? {
          reply: {
            workingDays: view.reply.workingDays,
            by: view.reply.by,
            text: replyDueText(lang, view.reply),
          },
        }
      : {}),
  };
}

/**
 * What cannot be a reference or a secret is told at once, beside the field: it discloses nothing about any case,
 * unlike "no such case", which stays one answer for an unknown reference and a wrong secret.
 */
function badLookup(
  lang: PublicLanguage,
  page: boolean,
  typedReference: string,
  bad: StatusField[],
): HttpResult {
  if (page) return html(statusPage(lang, { ...site(), errors: bad, reference: typedReference }), 400);
  return json(
    400,
    errorBody(
      'REQUEST.INVALID',
      'The reference or the secret is not in the form the web form gives.',
      bad.map((path) => ({
        path,
        message:
          path === 'reference'
            ? 'must be 8 letters and digits, like K7MQ-4XZ9'
            : 'must be 12 letters and digits, like 7KQM-2XZP-9HTR',
      })),
    ),
    NO_REFERRER,
  );
}

export const handler = routeGroup({
  'POST /api/public/complaints': formAnswerForBrowsers(submit),
  'GET /api/public/complaints/{reference}': lookupAnswerForBrowsers(lookup),
  'POST /api/public/complaints/status': lookupAnswerForBrowsers(lookupByForm),
});
