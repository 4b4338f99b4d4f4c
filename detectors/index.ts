import { hotLoops } from './hot-loops.js';
import { numeric } from './numeric.js';
import { networkServer } from './network-server.js';
import type { CodeDetector } from './types.js';

/** Every code detector, in the order their evidence is listed. */
export const CODE_DETECTORS: readonly CodeDetector[] = [hotLoops, numeric, networkServer];
