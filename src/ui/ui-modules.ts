/**
 * All the interactive view needs of React, ink and its own components, as one module: the build
 * bundles it with everything it imports (scripts/bundle-ui.js), and run-interactive.ts loads that
 * bundle when it is there. Its graph is some 650 small modules (es-toolkit alone is 415, for ink's
 * one use of `throttle`): loading them one by one cost about five times the CPU of the bundle, most
 * of the time before the first frame.
 */
export { createElement } from 'react';
export { render } from 'ink';
export { App } from './app.js';
