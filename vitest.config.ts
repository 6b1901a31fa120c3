import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    // Removes the temporary folders test/helpers/temp-dir.ts made outside a test, after each file.
    setupFiles: ['test/helpers/temp-dir-setup.ts'],
    // Tests start tsx in child processes (the simulator, React's build check): no cache folder of
    // its own left in the temp folder (tsx-<uid>), as every test leaves nothing behind.
    env: { TSX_DISABLE_CACHE: '1' },
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Integration tests start real servers (node_exporter, tmux); two cores do not like many at once.
    maxWorkers: 2,
  },
});
