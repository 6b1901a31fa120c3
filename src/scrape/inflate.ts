/**
 * Turning a body's bytes into text at the end of a response, into buffers kept from one body to the
 * next: at 1,000 scrapes a second a fresh inflate output (about 70 KB) and a fresh zlib stream per
 * body were 70 MB/s of ArrayBuffers that V8 freed only at full GCs, about 60 MB of RSS.
 */
import * as zlib from 'node:zlib';
import { inflateCapped } from './read-body.js';
import { ScrapeError, formatBytes } from './scrape-error.js';

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** Scratch space kept between bodies up to this size; a larger body gets buffers of its own. */
const KEPT_SCRATCH_BYTES = 1024 * 1024;

/**
 * Node's zlib binding, as zlib's own gunzipSync drives it. It is not a public API, so it is looked
 * for and checked, and everything falls back to gunzipSync if it is not as expected.
 */
interface ZlibHandle {
  writeSync(flush: number, input: Uint8Array, inOff: number, inLen: number, out: Uint8Array, outOff: number, outLen: number): void;
  reset(): void;
  onerror: (message: string, errno: number) => void;
}

interface ReusableGunzip {
  readonly handle: ZlibHandle;
  /** [output bytes left, input bytes left] after each writeSync. */
  readonly state: Uint32Array;
}

function openGunzip(): ReusableGunzip | undefined {
  const stream = zlib.createGunzip() as unknown as { _handle?: Partial<ZlibHandle>; _writeState?: unknown };
  const handle = stream._handle;
  const state = stream._writeState;
  if (typeof handle?.writeSync !== 'function' || typeof handle.reset !== 'function' || !(state instanceof Uint32Array) || state.length < 2) {
    return undefined;
  }
  return { handle: handle as ZlibHandle, state };
}

export class BodyDecoder {
  private gunzip: ReusableGunzip | undefined;
  private readonly reusable: boolean;
  private wire = Buffer.allocUnsafe(64 * 1024);
  private out = Buffer.allocUnsafe(256 * 1024);
  private failed = false;

  constructor(useZlibHandle = true) {
    this.gunzip = useZlibHandle ? openGunzip() : undefined;
    this.reusable = this.gunzip !== undefined;
  }

  /** Whether bodies are inflated through one kept zlib stream (false: gunzipSync per body). */
  get inflatesInPlace(): boolean {
    return this.reusable;
  }

  /**
   * The text of a body that came as `chunks` (`wireBytes` in all), gzipped or not; `maxBytes` caps
   * the inflated size. The chunks are read before this returns and never kept.
   */
  decode(chunks: readonly Uint8Array[], wireBytes: number, gzipped: boolean, maxBytes: number): { text: string; bodyBytes: number } {
    const wire = this.joined(chunks, wireBytes);
    const body = gzipped ? this.inflate(wire, maxBytes) : wire;
    return { text: utf8.decode(body), bodyBytes: body.length };
  }

  private joined(chunks: readonly Uint8Array[], bytes: number): Uint8Array {
    if (chunks.length === 1) return chunks[0] as Uint8Array;
    const into = bytes <= this.wire.length ? this.wire : bytes <= KEPT_SCRATCH_BYTES ? (this.wire = Buffer.allocUnsafe(bytes)) : Buffer.allocUnsafe(bytes);
    let at = 0;
    for (const chunk of chunks) {
      into.set(chunk, at);
      at += chunk.length;
    }
    return into.subarray(0, bytes);
  }

  private inflate(wire: Uint8Array, maxBytes: number): Uint8Array {
    const gunzip = this.gunzip;
    // Where the zlib binding is not as expected: gunzipSync, a fresh stream and output per body.
    if (gunzip === undefined) return inflateCapped(wire, maxBytes);
    const { handle, state } = gunzip;
    this.failed = false;
    handle.onerror = () => {
      this.failed = true;
    };
    handle.reset();
    let out = this.out;
    let inOff = 0;
    let outOff = 0;
    for (;;) {
      const room = out.length - outOff;
      handle.writeSync(zlib.constants.Z_FINISH, wire, inOff, wire.length - inOff, out, outOff, room);
      if (this.failed) {
        // The stream is left in an error state: the next body gets a fresh one.
        this.gunzip = openGunzip();
        throw new ScrapeError('invalid gzip body');
      }
      outOff += room - (state[0] as number);
      inOff = wire.length - (state[1] as number);
      if (outOff > maxBytes) throw inflatesPast(maxBytes);
      // Output space left over means zlib finished; none left means it may have more to give.
      if (state[0] !== 0) break;
      const bigger = Buffer.allocUnsafe(Math.min(out.length * 2, maxBytes + 1));
      bigger.set(out.subarray(0, outOff));
      out = bigger;
      if (out.length <= KEPT_SCRATCH_BYTES) this.out = out;
    }
    return out.subarray(0, outOff);
  }
}

function inflatesPast(maxBytes: number): ScrapeError {
  return new ScrapeError(`gzip body inflates past ${formatBytes(maxBytes)}`);
}
