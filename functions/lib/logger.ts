import { Logger } from '@aws-lambda-powertools/logger';

/**
 * The one structured logger. Log lines carry a stable `code` and ids (case id, reference), never phone numbers,
 * names or narratives: callers pass only such fields, and errors are logged by name and stack, not by message.
 */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'cfm' });
