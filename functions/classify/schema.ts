import * as z from 'zod';
import { ClassificationSchema } from '#shared/classification/schema.ts';

/** `POST /api/classify` body: the text to classify. */
export const ClassifyRequestSchema = z.strictObject({
  text: z.string().trim().min(1, 'must not be empty').max(5000),
});

/** The answer: the classifier's fields, with urgency under the contract's name `priority`. */
export const ClassifyResponseSchema = ClassificationSchema.omit({ urgency: true }).extend({
  priority: ClassificationSchema.shape.urgency,
});
export type ClassifyResponse = z.infer<typeof ClassifyResponseSchema>;
