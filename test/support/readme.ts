import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { inject } from 'vitest';

/**
 * The README's examples as a person runs them: the first ```sh block under a heading, run from the repository's
 * root in a shell against the end-to-end stack. Only the port is the stack's: the scripts find it through `PORT`,
 * as they do for a stack started with it, and curl's `localhost:3000` becomes it.
 */

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The first ```sh block after `heading` (the heading's text as the README writes it); throws if there is none. */
export function readmeBlock(heading: string): string {
  const readme = readFileSync(`${ROOT}/README.md`, 'utf8');
  const at = readme.indexOf(heading);
  if (at < 0) throw new Error(`the README has no "${heading}"`);
  const block = /```sh\n([\s\S]*?)```/.exec(readme.slice(at))?.[1];
  if (!block) throw new Error(`the README has no commands under "${heading}"`);
  return block;
}

/** A block's commands (the lines that are not comments) and what the README prints under them (`# ` lines). */
export function readmeExample(heading: string): { commands: string[]; printed: string[] } {
  const lines = readmeBlock(heading).split('\n').filter(Boolean);
  return {
    commands: lines.filter((l) => !l.startsWith('#')),
    printed: lines.filter((l) => l.startsWith('# ')).map((l) => l.slice(2)),
  };
}

/** The `npm run` lines of the block under `heading`, in order. */
export const readmeNpmCommands = (heading: string): string[] =>
  readmeBlock(heading)
    .split('\n')
    .filter((line) => line.startsWith('npm run '));

/** The port of the end-to-end stack. */
export const stackPort = (): string => new URL(inject('baseUrl')).port;

/** Runs `command` with `sh -c` from the repository's root against the stack; its standard output. */
export async function shell(command: string): Promise<string> {
  const port = stackPort();
  const { stdout } = await promisify(execFile)(
    'sh',
    ['-c', command.replaceAll('localhost:3000', `localhost:${port}`)],
    {
      cwd: ROOT,
      env: { ...process.env, PORT: port, TWILIO_AUTH_TOKEN: inject('twilioAuthToken') },
    },
  );
  return stdout;
}
