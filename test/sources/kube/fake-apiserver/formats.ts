/** Go's and apimachinery's ways of writing numbers, times and quantities, so the output matches byte for byte. */

/** strconv.FormatFloat(v, 'g', -1, 64), which the Prometheus text encoder uses for sample values. */
export function goFloat(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  if (v === 0) return '0';
  const [mantissa = '', expText = '0'] = v.toExponential().split('e');
  const exp = Number(expText);
  // With the shortest precision Go takes %e form from an exponent of 6 up, where JS waits for 21.
  if (exp < -4 || exp >= 6) {
    return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  return String(v);
}

/** time.Duration.String() for a whole number of milliseconds, as metrics-server writes `window`. */
export function goDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const secondsMs = ms % 60_000;
  const seconds = `${Math.floor(secondsMs / 1000)}${secondsMs % 1000 ? `.${String(secondsMs % 1000).padStart(3, '0')}`.replace(/0+$/, '') : ''}s`;
  if (hours) return `${hours}h${minutes}m${seconds}`;
  if (minutes) return `${minutes}m${seconds}`;
  return seconds;
}

/** k8s.io/apimachinery/pkg/util/duration.HumanDuration: the AGE column. */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) return hours % 24 === 0 ? `${hours / 24}d` : `${Math.floor(hours / 24)}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  const days = Math.floor(hours / 24);
  if (hours < 24 * 365 * 8) return days % 365 === 0 ? `${days / 365}y` : `${Math.floor(days / 365)}y${days % 365}d`;
  return `${Math.floor(days / 365)}y`;
}

/** metav1.Time in JSON: RFC 3339 in UTC, whole seconds. */
export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

const DECIMAL_SUFFIXES = new Map<number, string>([
  [-9, 'n'], [-6, 'u'], [-3, 'm'], [0, ''], [3, 'k'], [6, 'M'], [9, 'G'], [12, 'T'], [15, 'P'], [18, 'E'],
]);

/** resource.Quantity in DecimalSI, canonical form, for mantissa × 10^exponent ("250m", "1500u", "8"). */
export function decimalQuantity(value: bigint, exponent = 0): string {
  let mantissa = value;
  if (mantissa === 0n) return '0';
  let exp = exponent;
  while (mantissa % 10n === 0n) {
    mantissa /= 10n;
    exp++;
  }
  // Canonical form: an exponent that is a multiple of three, rounded down, keeping the mantissa whole.
  const target = Math.min(Math.floor(exp / 3) * 3, 18);
  mantissa *= 10n ** BigInt(exp - target);
  return `${mantissa}${DECIMAL_SUFFIXES.get(target) ?? ''}`;
}

/** A rate in cores as metrics-server writes it: whole nanocores, canonical. */
export const nanocores = (cores: number): string => decimalQuantity(BigInt(Math.round(cores * 1e9)), -9);

const BINARY_SUFFIXES = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

/** resource.Quantity in BinarySI, canonical form, from whole bytes ("16323552Ki", "16Gi"). */
export function binaryQuantity(bytes: number): string {
  if (Math.abs(bytes) < 1024) return decimalQuantity(BigInt(bytes));
  let value = bytes;
  let power = 0;
  while (value % 1024 === 0 && power < BINARY_SUFFIXES.length - 1) {
    value /= 1024;
    power++;
  }
  return `${value}${BINARY_SUFFIXES[power] ?? ''}`;
}

/** Parses the memory quantities tests write ("16Gi", "512Mi", "2G") or passes bytes through. */
export function parseBytes(quantity: string | number): number {
  if (typeof quantity === 'number') return quantity;
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(quantity);
  if (!m) throw new Error(`not a memory quantity: ${quantity}`);
  const scale: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, k: 1e3, M: 1e6, G: 1e9, T: 1e12 };
  return Math.round(Number(m[1]) * (m[2] ? (scale[m[2]] ?? 1) : 1));
}
