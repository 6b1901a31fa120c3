/**
 * Imported before React: React picks its build when first imported, the development one when
 * NODE_ENV is unset, which checks and records every render (several times the CPU of a frame).
 * The program runs the production build (scripts/bundle-ui.js, run-interactive.ts), so the
 * benchmark does too.
 */
process.env.NODE_ENV ??= 'production';
