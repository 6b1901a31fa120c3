/**
 * Kubernetes resource quantities (k8s.io/apimachinery resource.Quantity) as plain numbers: "250m"
 * cores, "16323552Ki" bytes, "1e3", "1.5Gi". The grammar is the apiserver's:
 *   <sign>? <digits> ( "." <digits>? )? | "." <digits>, then one suffix:
 *   binary Ki Mi Gi Ti Pi Ei, decimal n u m "" k M G T P E, or an exponent e<int> / E<int>.
 */
const QUANTITY = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;

const DECIMAL_EXPONENT: Readonly<Record<string, number>> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_POWER: Readonly<Record<string, number>> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

/**
 * The quantity's value, or null when the text is not a quantity. Exact to the last bit a double
 * holds: the decimal part is handed to the number parser in one piece (`1500000e-9`), which rounds
 * once and correctly, and a binary suffix is a power of two, which scales a double without rounding.
 */
export function parseQuantity(text: string): number | null {
  const m = QUANTITY.exec(text);
  if (m === null) return null;
  const [, sign = '', digits = '', suffix = ''] = m;
  const binary = BINARY_POWER[suffix];
  const value = binary === undefined
    ? Number(`${sign}${digits}e${DECIMAL_EXPONENT[suffix] ?? suffix.slice(1)}`)
    : Number(`${sign}${digits}`) * 2 ** binary;
  return Number.isFinite(value) ? value : null;
}
