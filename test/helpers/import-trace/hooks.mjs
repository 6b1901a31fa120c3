// Module customization hooks (they run on a thread of their own): one stderr line per module,
// written synchronously so that none is lost when the program exits at once (--version).
import { writeSync } from 'node:fs';

export const TRACE_PREFIX = 'import-trace: ';

const pause = new Int32Array(new SharedArrayBuffer(4));

/** All of `text` to stderr; a pipe the reader has not emptied yet answers EAGAIN, so wait a moment and go on. */
function writeAll(text) {
  let bytes = Buffer.from(text);
  while (bytes.length > 0) {
    try {
      bytes = bytes.subarray(writeSync(2, bytes));
    } catch (error) {
      if (error.code !== 'EAGAIN') throw error;
      Atomics.wait(pause, 0, 0, 2);
    }
  }
}

export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  writeAll(`${TRACE_PREFIX}${resolved.url}\n`);
  return resolved;
}
