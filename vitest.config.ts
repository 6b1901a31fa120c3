import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    // Removes the temporary folders test/helpers/temp-dir.ts made outside a test, after each file.
    setupFiles: ['test/helpers/temp-dir-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Integration tests start real servers (node_exporter, tmux); two cores do not like many at once.
    maxWorkers: 2,
  },
});
