/**
 * The hotline's roster: the operators a caller can be put through to, with the languages they take calls in,
 * their gender (callers may ask for a woman or a man) and whether they are on duty now. Admins keep it through
 * the admin API; the IVR reads it when it offers "speak to a person" and when it dials.
 *
 * Stored in the single table like the other configuration records (pk `CONFIG#roster-operator`, sk the operator
 * id, the record in `record`). An operator's phone number may be their own: it is personal data, so it is kept
 * encrypted (`phoneCipher`, the platform's personal-data key) and never written to logs, events or errors; only
 * the admin API shows it, to the admins who keep the roster, and the IVR decrypts it into the `<Dial>` it answers.
 */
import * as z from 'zod';
import { LANGUAGES, type Language } from '../classification/taxonomy.ts';
import { ConditionFailedError } from '../errors/aws-errors.ts';
import { NotFoundError, RequestError } from '../errors/domain-error.ts';
import type { PersonalDataProtector } from '../privacy/personal-data.ts';
import type { DynamoDb, Item } from '../store/dynamodb.ts';

export const OPERATOR_GENDERS = ['female', 'male'] as const;
export type OperatorGender = (typeof OPERATOR_GENDERS)[number];

const E164 = /^\+[1-9]\d{6,14}$/;

/** An operator as the admin API takes and shows them. */
export const RosterOperatorSchema = z
  .strictObject({
    operatorId: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'must be lower-case letters, digits, - or _ (at most 64)'),
    name: z.string().trim().min(1).max(120),
    /** The operator's phone, E.164; rung by `<Dial><Number>`. */
    phone: z.string().regex(E164, 'must be an E.164 number such as +9647501234567').optional(),
    /** A Twilio Client identity (a softphone in the browser or the Voice SDK app); rung by `<Dial><Client>`. */
    client: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be letters, digits, ".", "-" or "_" (at most 64)')
      .optional(),
    languages: z
      .array(z.enum(LANGUAGES))
      .min(1, 'must name at least one language')
      .max(LANGUAGES.length)
      .refine((l) => new Set(l).size === l.length, 'must not repeat a language'),
    gender: z.enum(OPERATOR_GENDERS),
    onDuty: z.boolean().default(false),
    /** The console user who takes these calls: the calls they answer wait for them to complete in the console. */
    userId: z.string().min(1).max(128).optional(),
  })
  .refine((o) => o.phone !== undefined || o.client !== undefined, {
    message: 'needs a phone number or a Twilio client identity (or both)',
    path: ['phone'],
    params: { code: 'ROSTER.NO_ENDPOINT' },
  });
export type RosterOperator = z.output<typeof RosterOperatorSchema>;

/** What is stored: the operator with the phone number encrypted. */
const StoredOperator = z.object({
  operatorId: z.string(),
  name: z.string(),
  phoneCipher: z.string().optional(),
  client: z.string().optional(),
  languages: z.array(z.enum(LANGUAGES)),
  gender: z.enum(OPERATOR_GENDERS),
  onDuty: z.boolean(),
  userId: z.string().optional(),
});
type StoredOperator = z.infer<typeof StoredOperator>;

export const ROSTER_PK = 'CONFIG#roster-operator';
const key = (operatorId: string) => ({ pk: ROSTER_PK, sk: operatorId });

/** A roster record the admin sent, checked: 400 `ROSTER.NO_ENDPOINT` or `REQUEST.INVALID`, naming fields only. */
export function parseRosterOperator(input: unknown): RosterOperator {
  const parsed = RosterOperatorSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  const noEndpoint = parsed.error.issues.some(
    (i) => i.code === 'custom' && (i.params as { code?: string } | undefined)?.code === 'ROSTER.NO_ENDPOINT',
  );
  throw new RequestError(
    400,
    noEndpoint ? 'ROSTER.NO_ENDPOINT' : 'REQUEST.INVALID',
    noEndpoint
      ? 'An operator needs a phone number or a Twilio client identity.'
      : 'The operator is not valid.',
    issues,
  );
}

export interface RosterStoreDeps {
  db: DynamoDb;
  tableName: string;
  protector: Pick<PersonalDataProtector, 'encrypt' | 'decrypt'>;
  now?: () => Date;
}

export interface RosterStore {
  /** Every operator, in id order, phone numbers decrypted (for the admin API and the IVR's dial). */
  list(): Promise<RosterOperator[]>;
  get(operatorId: string): Promise<RosterOperator | undefined>;
  /** Creates the operator; false when one with this id exists already. */
  create(operator: RosterOperator): Promise<boolean>;
  /** Replaces the operator; a 404 `ROSTER.NOT_FOUND` when there is none. */
  replace(operator: RosterOperator): Promise<void>;
  /** Removes the operator; a 404 `ROSTER.NOT_FOUND` when there is none. */
  delete(operatorId: string): Promise<void>;
}

export const rosterNotFound = () => new NotFoundError('ROSTER.NOT_FOUND', 'No such operator on the roster.');

export function makeRosterStore({
  db,
  tableName,
  protector,
  now = () => new Date(),
}: RosterStoreDeps): RosterStore {
  const toItem = (o: RosterOperator): Item => {
    const record: StoredOperator = {
      operatorId: o.operatorId,
      name: o.name,
      ...(o.phone ? { phoneCipher: protector.encrypt(o.phone) } : {}),
      ...(o.client ? { client: o.client } : {}),
      languages: o.languages,
      gender: o.gender,
      onDuty: o.onDuty,
      ...(o.userId ? { userId: o.userId } : {}),
    };
    return { ...key(o.operatorId), kind: 'roster-operator', record, updatedAt: now().toISOString() };
  };
  const fromItem = (item: Item): RosterOperator => {
    const parsed = StoredOperator.safeParse(item.record);
    // The content is not named: it holds a phone number, even if encrypted.
    if (!parsed.success)
      throw new Error(`ROSTER.CORRUPT: stored operator ${String(item.sk)} fails its schema`);
    const { phoneCipher, ...rest } = parsed.data;
    return { ...rest, ...(phoneCipher ? { phone: protector.decrypt(phoneCipher) } : {}) };
  };

  return {
    async list() {
      const items = await db.queryAll({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': ROSTER_PK },
        ConsistentRead: true,
      });
      return items.map(fromItem);
    },
    async get(operatorId) {
      const item = await db.get(tableName, key(operatorId), true);
      return item ? fromItem(item) : undefined;
    },
    async create(operator) {
      try {
        await db.put({
          TableName: tableName,
          Item: toItem(operator),
          ConditionExpression: 'attribute_not_exists(pk)',
        });
        return true;
      } catch (err) {
        if (err instanceof ConditionFailedError) return false;
        throw err;
      }
    },
    async replace(operator) {
      try {
        await db.put({
          TableName: tableName,
          Item: toItem(operator),
          ConditionExpression: 'attribute_exists(pk)',
        });
      } catch (err) {
        if (err instanceof ConditionFailedError) throw rosterNotFound();
        throw err;
      }
    },
    async delete(operatorId) {
      try {
        await db.delete({
          TableName: tableName,
          Key: key(operatorId),
          ConditionExpression: 'attribute_exists(pk)',
        });
      } catch (err) {
        if (err instanceof ConditionFailedError) throw rosterNotFound();
        throw err;
      }
    },
  };
}

/** Who may be put through to a caller speaking `language`: the on-duty operators who take that language. */
export const onDutyFor = (roster: readonly RosterOperator[], language: Language): RosterOperator[] =>
  roster.filter((o) => o.onDuty && o.languages.includes(language));

/** The genders on duty for a language, in a fixed order (the IVR offers a choice only when there are two). */
export const gendersOnDuty = (roster: readonly RosterOperator[], language: Language): OperatorGender[] =>
  OPERATOR_GENDERS.filter((g) => onDutyFor(roster, language).some((o) => o.gender === g));

/** The most operators one `<Dial>` rings at once (Twilio's limit on simultaneous nouns in one dial). */
export const MAX_DIALLED = 10;

/**
 * The operators one call rings: on duty, taking the caller's language, of the gender the caller asked for (or
 * either when they did not choose), at most {@link MAX_DIALLED}, in id order so a repeated request dials the same.
 */
export function operatorsToDial(
  roster: readonly RosterOperator[],
  language: Language,
  gender: OperatorGender | undefined,
): RosterOperator[] {
  return onDutyFor(roster, language)
    .filter((o) => gender === undefined || o.gender === gender)
    .sort((a, b) => a.operatorId.localeCompare(b.operatorId))
    .slice(0, MAX_DIALLED);
}
