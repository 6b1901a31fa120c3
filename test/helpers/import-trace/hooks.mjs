// Module customization hooks (they run on a thread of their own): one stderr line per module,
// written synchronously so that none is lost when the program exits at once (--version).
import { writeSync } from 'node:fs';

export const TRACE_PREFIX = 'import-trace: ';

export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  writeSync(2, `${TRACE_PREFIX}${resolved.url}\n`);
  return resolved;
}
