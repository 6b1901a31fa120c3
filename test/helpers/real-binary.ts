import { existsSync } from 'node:fs';

/**
 * Whether a real peer binary (node_exporter, tmux, ...) is here. In CI a missing one is a failure,
 * not a skip: .ci/run installs them, so their absence means the set-up broke.
 */
export function requireBinary(path: string): boolean {
  if (existsSync(path)) return true;
  if (process.env.CI) throw new Error(`${path} is missing; .ci/run installs it`);
  console.warn(`skipping: ${path} is not installed (apt-get install it to run these tests)`);
  return false;
}
