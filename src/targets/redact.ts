/**
 * The one way a target URL becomes text for people or files: the view, the snapshot, recordings
 * and messages all show what these functions give. The request itself uses the URL as written.
 *
 * Masked as `***`: a password (the user name stays), a user name given alone (a token written as
 * `http://TOKEN@host/`), and the values of query and fragment parameters whose names say they
 * hold a secret (`token`, `access_token`, `apiKey`, `X-Amz-Signature`, `sig`, ...).
 */

const MASK = '***';

/** Words of a parameter name that mark its value as secret, wherever they stand in the name. */
const SECRET_WORDS = new Set([
  'auth',
  'authorization',
  'credential',
  'credentials',
  'jwt',
  'pass',
  'passphrase',
  'pw',
  'pwd',
  'session',
  'sig',
]);
/** Word endings that do the same: `token`, `accesstoken`, `apikey`, `clientsecret`, `signature`. */
const SECRET_ENDINGS = ['token', 'key', 'secret', 'password', 'passwd', 'signature'];

/**
 * Whether a query parameter's name says its value is a secret. The name is split into words at
 * anything not a letter or digit and where a lower-case letter meets an upper-case one, so
 * `access_token`, `accessToken`, `X-Amz-Security-Token` and `APIKEY` are all found.
 */
export function isSecretParam(name: string): boolean {
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase().split(/[^a-z0-9]+/);
  return words.some((w) => w !== '' && (SECRET_WORDS.has(w) || SECRET_ENDINGS.some((end) => w.endsWith(end))));
}

/** A URL for people: credentials and secret parameters masked; otherwise as the URL prints. */
export function redactUrl(url: URL): string {
  const userinfo = url.password !== '' ? `${url.username}:${MASK}@` : url.username !== '' ? `${MASK}@` : '';
  return `${url.protocol}//${userinfo}${url.host}${url.pathname}${maskParams(url.search)}${maskParams(url.hash)}`;
}

/**
 * Text that may be a target URL or a host:port, as written (possibly not even parseable): anything
 * before an `@` (a password may hold `/`, `?` or `#` that end the host early) and secret parameters
 * are masked. Text that holds neither comes back unchanged.
 */
export function redactTargetText(text: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    try {
      const url = new URL(text);
      // Without user info, an `@` is one the parser did not take for its end: a password that ended the host early.
      if (url.username !== '' || url.password !== '' || !text.slice(text.indexOf('//') + 2).includes('@')) return redactUrl(url);
    } catch {
      // not a URL: masked as text below
    }
  }
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(text)?.[0] ?? '';
  let rest = text.slice(scheme.length);
  const at = rest.lastIndexOf('@');
  if (at !== -1) rest = `${MASK}${rest.slice(at)}`;
  const q = rest.search(/[?#]/);
  if (q === -1) return scheme + rest;
  return scheme + rest.slice(0, q) + rest.slice(q).replace(/([?#&;])([^?#&;=]*)=([^?#&;]*)/g, (whole, sep: string, name: string) =>
    isSecretParam(decodeName(name)) ? `${sep}${name}=${MASK}` : whole,
  );
}

/** `?a=1&token=x` -> `?a=1&token=***`; the same for a fragment. Unchanged when nothing is secret. */
function maskParams(part: string): string {
  if (part.length <= 1) return part;
  const pieces = part.slice(1).split('&');
  let changed = false;
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i] as string;
    const eq = piece.indexOf('=');
    if (eq === -1 || !isSecretParam(decodeName(piece.slice(0, eq)))) continue;
    pieces[i] = `${piece.slice(0, eq)}=${MASK}`;
    changed = true;
  }
  return changed ? `${part[0]}${pieces.join('&')}` : part;
}

/** A parameter name as a server reads it: `%74oken` and `api+key` are names too. */
function decodeName(name: string): string {
  const plain = name.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(plain);
  } catch {
    return plain;
  }
}
