import { hotLoops } from './hot-loops.js';
import { numeric } from './numeric.js';
import { networkServer } from './network-server.js';
import { byteScanning } from './byte-scanning.js';
import { concurrency } from './concurrency.js';
import { ioGlue } from './io-glue.js';
import { dynamic } from './dynamic.js';
import { nativeBridges } from './native-bridges.js';
import { testCode } from './test-code.js';
import type { CodeDetector } from './types.js';

/** Every code detector, in the order their evidence is listed. */
export const CODE_DETECTORS: readonly CodeDetector[] = [hotLoops, numeric, byteScanning, networkServer, concurrency, ioGlue, dynamic, nativeBridges, testCode];
