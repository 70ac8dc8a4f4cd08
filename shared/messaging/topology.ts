/**
 * The messaging resources, named once for the CDK app and the local stack: the "case events" topic, the queues
 * subscribed to it and the delivery settings of the stream consumers. Names are suffixed per stage
 * (`cfm-dev-case-events`, `cfm-local-case-events`).
 */
/**
 * The event filter (Lambda's pattern syntax) of the router's and the projector's stream mappings: they act on case
 * items and timeline events only, so Lambda is not invoked (nor billed) for the report aggregates, projection
 * markers, number items and the rest, which are most of the table's writes (docs/cost.md).
 */
const CASES_AND_EVENTS = {
  eventName: ['INSERT', 'MODIFY'],
  dynamodb: { NewImage: { entity: { S: ['case', 'event'] } } },
} as const;

export const topology = {
  topic: { name: 'case-events' },
  queues: {
    /** Complainant-facing messages (acknowledgements, outcomes, satisfaction questions) through Twilio. */
    notifier: {
      name: 'notifier',
      dlqName: 'notifier-dlq',
      maxReceiveCount: 5,
      visibilityTimeoutSeconds: 60,
      /** Only the events that may lead to an SMS to the complainant reach this queue. */
      filterPolicy: { audience: ['complainant'] },
    },
  },
  /** DynamoDB stream consumers: bounded retries, then the record goes to the consumer's DLQ. */
  streamConsumers: {
    router: { batchSize: 25, maxRetries: 8, dlqName: 'router-dlq', filter: CASES_AND_EVENTS },
    projector: { batchSize: 100, maxRetries: 8, dlqName: 'projector-dlq', filter: CASES_AND_EVENTS },
    /** Inbound SMS written onto number items by the webhook: opened as cases or threaded onto waiting ones. */
    inbox: { batchSize: 25, maxRetries: 8, dlqName: 'inbox-dlq' },
    /**
     * Messages queued for the local SMS gateway, handed to its send API. The relay's server queues for a phone
     * that is offline, so a failed request is a server or network fault: retried, then kept in the DLQ.
     */
    'gateway-outbox': { batchSize: 10, maxRetries: 10, dlqName: 'gateway-outbox-dlq' },
  },
} as const;

export const resourceName = (stage: string, name: string): string => `cfm-${stage}-${name}`;
