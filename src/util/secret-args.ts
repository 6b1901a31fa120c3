/**
 * Process arguments as they may be shown: values that look like secrets masked as `***`. A command
 * line is the usual place people put a password by mistake (`mysql --password=...`, `curl -u`,
 * `FOO_TOKEN=... cmd`), so the agent and the local source mask before anything leaves them, and
 * the reader masks again what a foreign agent sent.
 */
export const MASK = '***';

/** A flag whose value is a secret: `--password`, `--requirepass`, `--db-token`, `--client-secret`, `--api-key`; over-masking (`--bypass`) is the safe side. */
const SECRET_FLAG =
  /^--?(?:[\w.-]*?(?:pass(?:word|wd|phrase)?|pwd|token|secret|credentials?)|(?:[\w.-]*[-_.])?(?:api[-_]?key|access[-_]?key|private[-_]?key|key|auth(?:orization)?|cookie|session))$/i;
/** Flags whose next argument is `user:password` (curl, wget): the part after the colon is masked. */
const USER_PASSWORD_FLAG = new Set(['-u', '--user', '--proxy-user']);
/** `NAME=value` where the name says secret: `AWS_SECRET_ACCESS_KEY=`, `PASSWORD=`, `db.token=`. */
const SECRET_ASSIGNMENT = /^([\w.-]*(?:pass(?:word|wd|phrase)?|pwd|token|secret|key|credentials?|auth))=(.*)$/i;
/** `scheme://user:password@host`: the password part. */
const URL_PASSWORD = /(\b[a-z][\w+.-]*:\/\/[^/\s:@]*:)[^@\s/]+@/gi;
/**
 * A header given as an argument: `Authorization: Bearer ...`, also inside one (`--header=Authorization: x`,
 * curl's `-HCookie:x`, a quoted `"Authorization: ...`): everything after its colon is the secret.
 */
const AUTH_HEADER = /(?:^-H|(?<![\w-]))((?:proxy-)?authorization|cookie|x-api-key|x-auth-token)\s*:/i;

/** The arguments with secret-looking values replaced by MASK; the program name (argv[0]) is kept. */
export function maskSecretArgs(args: readonly string[]): string[] {
  const out: string[] = [];
  let next: 'secret' | 'user' | null = null;
  for (const arg of args) {
    const isFlag = arg.startsWith('-') && arg.length > 1;
    if (next === 'secret' && !isFlag) out.push(MASK);
    else if (next === 'user' && !isFlag) out.push(arg.replace(/:.*$/, `:${MASK}`));
    else out.push(maskOne(arg));
    next = isFlag ? flagTakes(arg) : null;
  }
  return out;
}

/**
 * A command line as one string (the reader's case: the agent sent it joined), split on any run of
 * blanks, so that two spaces or a tab after `--password` do not hide the value from the mask; the
 * blanks are kept as they were. Where the words came apart is unknown, so a header's value
 * (`Authorization: Bearer x`, two more words once joined) is masked up to the next flag, its
 * words dropped with the blanks before them: over-masking is the safe side.
 */
export function maskSecretCommandLine(line: string): string {
  // Words at even indices, the blanks between them at odd ones.
  const parts = line.split(/(\s+)/);
  const words = parts.filter((part, i) => i % 2 === 0 && part !== '');
  const masked = maskSecretArgs(words);
  let out = '';
  let blanks = '';
  let w = 0;
  let inHeader = false;
  for (const [i, part] of parts.entries()) {
    if (i % 2 === 1) blanks += part;
    if (i % 2 === 1 || part === '') continue;
    const shown = masked[w++] ?? MASK;
    if (inHeader && !(part.startsWith('-') && part.length > 1)) {
      blanks = '';
      continue;
    }
    inHeader = AUTH_HEADER.test(part);
    out += blanks + shown;
    blanks = '';
  }
  return out + blanks;
}

/** What the argument after this flag is, when it is (part) secret. */
function flagTakes(flag: string): 'secret' | 'user' | null {
  if (flag.includes('=')) return null;
  if (SECRET_FLAG.test(flag)) return 'secret';
  return USER_PASSWORD_FLAG.has(flag) ? 'user' : null;
}

function maskOne(arg: string): string {
  let masked = arg.replace(URL_PASSWORD, `$1${MASK}@`);
  const header = AUTH_HEADER.exec(masked);
  if (header) return `${masked.slice(0, header.index + header[0].length).replace(/\s*:$/, ':')} ${MASK}`;
  const eq = masked.indexOf('=');
  if (eq > 0) {
    const name = masked.slice(0, eq);
    if (name.startsWith('-') && SECRET_FLAG.test(name)) return `${name}=${MASK}`;
    if (USER_PASSWORD_FLAG.has(name)) return masked.replace(/:[^:]*$/, `:${MASK}`);
    if (!name.startsWith('-') && SECRET_ASSIGNMENT.test(masked)) masked = `${name}=${MASK}`;
  }
  return masked;
}
