/** Number formatting shared by the interactive UI and the `--once` table: short, fixed-width friendly. */

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

/**
 * |bytes| in binary units, moving to the next from 1000 on, as btop does ("0.98 MiB", not
 * "1003 KiB"): the value, the unit's index in BYTE_UNITS, and the sign.
 */
function binaryUnits(bytes: number): { value: number; unit: number; sign: string } {
  let value = Math.abs(bytes);
  let unit = 0;
  while (value >= 1000 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return { value, unit, sign: bytes < 0 ? '-' : '' };
}

/** 1536 -> "1.5 KiB"; three significant digits at most, like btop. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '-';
  const { value, unit, sign } = binaryUnits(bytes);
  if (unit === 0) return `${sign}${Math.round(value)} B`;
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${sign}${value.toFixed(digits)} ${BYTE_UNITS[unit]}`;
}

export function formatRate(bytesPerSecond: number | null | undefined): string {
  const s = formatBytes(bytesPerSecond);
  return s === '-' ? s : `${s}/s`;
}

export function formatPercent(percent: number | null | undefined, digits = 1): string {
  if (percent === null || percent === undefined || !Number.isFinite(percent)) return '-';
  return `${percent.toFixed(digits)}%`;
}

export function formatNumber(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '-';
  return value.toFixed(digits);
}

/** Seconds -> "3d 4h", "4h 12m", "12m 5s", "5s": the two largest units, as uptime is read. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '-';
  const s = Math.floor(seconds);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${r}s`;
  return `${r}s`;
}

/** Milliseconds -> "850ms" or "1.25s". */
export function formatMillis(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '-';
  return ms < 1000 ? `${Math.round(ms)}ms` : `${(ms / 1000).toFixed(2)}s`;
}

/** Fits text into exactly `width` columns: cut with an ellipsis, or padded. */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  if (width <= 0) return '';
  if (text.length > width) return width === 1 ? '…' : `${text.slice(0, width - 1)}…`;
  return align === 'left' ? text.padEnd(width) : text.padStart(width);
}

const SHORT_UNITS = ['B', 'K', 'M', 'G', 'T', 'P'] as const;

/**
 * 1536 -> "1.5K": at most five characters, for table cells. Binary like every byte figure here
 * (K is KiB, M is MiB), and like btop the next unit from 1000 on, so a cell never reads "1017M"
 * beside a "0.99G".
 */
export function formatBytesShort(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '-';
  const { value, unit, sign } = binaryUnits(bytes);
  // toFixed(1) of 99.96 is "100.0": one character too many, so round first and decide after.
  const oneDecimal = Math.round(value * 10) / 10;
  const digits = unit === 0 || oneDecimal >= 100 ? 0 : 1;
  return `${sign}${value.toFixed(digits)}${SHORT_UNITS[unit]}`;
}

/** Seconds -> "12s", "5m", "3h", "2d": one unit, for "down 12s" in a narrow status cell. */
export function formatAge(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '-';
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}

/** Local wall-clock time as HH:MM:SS. */
export function formatClock(ms: number): string {
  const d = new Date(ms);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

const SI = ['', 'k', 'M', 'G', 'T', 'P', 'E'] as const;

/**
 * A `--column` value in seven characters at most, whatever its scale: three significant digits,
 * k/M/G/… from 100,000 up, an exponent below 0.001 (latencies in seconds stay readable).
 */
export function formatValue(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '-';
  const a = Math.abs(value);
  if (a === 0) return '0';
  if (a >= 1e5) {
    const power = Math.min(SI.length - 1, Math.floor(Math.log10(a) / 3));
    return `${Number((value / 1000 ** power).toPrecision(3))}${SI[power]}`;
  }
  if (a >= 100) return String(Math.round(value));
  if (a >= 0.001) return String(Number(value.toPrecision(3)));
  return value.toExponential(1);
}
