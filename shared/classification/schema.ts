import * as z from 'zod';
import {
  CATEGORIES,
  FEEDBACK_TYPES,
  LANGUAGES,
  SECTORS,
  SENSITIVITIES,
  URGENCIES,
  VARIANTS,
} from './taxonomy.ts';

/** Choices the person made on the channel (IVR key, web form); each one overrides the classifier's value. */
export const ClassificationHintsSchema = z
  .object({
    type: z.enum(FEEDBACK_TYPES),
    category: z.enum(CATEGORIES).nullable(),
    sensitivity: z.enum(SENSITIVITIES),
    urgency: z.enum(URGENCIES),
  })
  .partial()
  .strict();
export type ClassificationHints = z.infer<typeof ClassificationHintsSchema>;

/** Input to the classifier: the message text (possibly empty) and the person's own choices. */
export const ClassificationInputSchema = z
  .object({
    text: z.string().max(10_000),
    hints: ClassificationHintsSchema.optional(),
  })
  .strict();
export type ClassificationInput = z.infer<typeof ClassificationInputSchema>;

/**
 * Why a message got its sensitivity: an explicit rule over the lexicon (`explicit`), the learned model
 * (`model`), the recall-first caution rule that restricts an aid worker named with money, a favour, being alone,
 * a visit, the night, a relationship or touching (`caution`), or the person's own choice on the channel
 * (`person`); `none` when nothing made it sensitive (S0).
 */
export const SENSITIVITY_BASES = ['none', 'explicit', 'model', 'caution', 'person'] as const;
export type SensitivityBasis = (typeof SENSITIVITY_BASES)[number];

/** The script a message is written in, so that an answer can be written in it too. */
export const SCRIPTS = ['arabic', 'latin'] as const;

/** What the classifier decided, with the lexicon terms and rules that led there. */
export const ClassificationSchema = z
  .object({
    language: z.enum(LANGUAGES),
    script: z.enum(SCRIPTS),
    type: z.enum(FEEDBACK_TYPES),
    category: z.enum(CATEGORIES).nullable(),
    sector: z.enum(SECTORS),
    sensitivity: z.enum(SENSITIVITIES),
    urgency: z.enum(URGENCIES),
    confidence: z.number().min(0).max(1),
    evidence: z.array(z.string()),
    /** Why the sensitivity is what it is (see `SENSITIVITY_BASES`). */
    basis: z.enum(SENSITIVITY_BASES),
    /**
     * Short stable codes behind the sensitivity (`C07.words`, `caution.actor+night`, `model.S3`): no words of the
     * message, so they may be shown to a focal point, logged and counted.
     */
    reasons: z.array(z.string()),
  })
  .strict();
export type Classification = z.infer<typeof ClassificationSchema>;

/** One labelled message of the evaluation data (`data/classifier/*.jsonl`). */
export const LabelledMessageSchema = z
  .object({
    id: z.string().min(1),
    text: z.string(),
    language: z.enum(LANGUAGES),
    type: z.enum(FEEDBACK_TYPES),
    category: z.enum(CATEGORIES).nullable(),
    sector: z.enum(SECTORS),
    sensitivity: z.enum(SENSITIVITIES),
    urgency: z.enum(URGENCIES),
    /** How the message is written (see `VARIANTS`): its form, and `short`, `euphemism`, `code-switch`. */
    variants: z.array(z.enum(VARIANTS)),
  })
  .strict();
export type LabelledMessage = z.infer<typeof LabelledMessageSchema>;
