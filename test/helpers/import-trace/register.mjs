// `node --import <this file>`: every module the program resolves is written to stderr as it is
// resolved (see hooks.mjs), so a test can tell which modules a run loads.
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);
