/**
 * Classifies a JSONL file of messages: `npm run classify -- --file messages.jsonl` (`--file -` reads stdin).
 * Each non-blank input line is `{"text": "...", "hints"?: {...}}` (other fields are ignored); each output line
 * is `{language, script, type, category, sector, sensitivity, urgency, confidence, basis, reasons}`, in input
 * order (`basis` and `reasons`: why the message is as sensitive as it is, see schema.ts). The whole file is
 * checked before anything is printed: a bad line prints one error naming its line number on stderr and exits 2.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { classify } from '../shared/classification/classify.ts';
import { type ClassificationInput, ClassificationInputSchema } from '../shared/classification/schema.ts';

const LineSchema = ClassificationInputSchema.strip();

function fail(message: string): never {
  process.stderr.write(`classify: ${message}\n`);
  process.exit(2);
}

function readInput(): string {
  let file: string | undefined;
  try {
    file = parseArgs({ options: { file: { type: 'string' } } }).values.file;
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  if (file === undefined) fail('usage: npm run classify -- --file messages.jsonl (or --file - for stdin)');
  try {
    return readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (error) {
    fail(`cannot read ${file}: ${error instanceof Error && 'code' in error ? String(error.code) : 'error'}`);
  }
}

const inputs: ClassificationInput[] = [];
readInput()
  .split('\n')
  .forEach((line, i) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      fail(`line ${i + 1}: not valid JSON`);
    }
    const parsed = LineSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
      fail(`line ${i + 1}: ${where}${issue?.message ?? 'invalid message'}`);
    }
    inputs.push(parsed.data);
  });

const out: string[] = [];
for (const input of inputs) {
  const { language, script, type, category, sector, sensitivity, urgency, confidence, basis, reasons } =
    classify(input.text, input.hints);
  out.push(
    JSON.stringify({
      language,
      script,
      type,
      category,
      sector,
      sensitivity,
      urgency,
      confidence,
      basis,
      reasons,
    }),
  );
}
process.stdout.write(out.length > 0 ? `${out.join('\n')}\n` : '');
