import { tsDynamic } from './ts-dynamic.js';
import { tsHotLoops } from './ts-hot-loops.js';
import { tsServices } from './ts-services.js';
import type { TsCodeDetector } from './ts-types.js';

/** Every TypeScript/JavaScript detector, in the order their evidence is listed. */
export const TS_DETECTORS: readonly TsCodeDetector[] = [tsHotLoops, tsServices, tsDynamic];
