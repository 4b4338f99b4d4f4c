/** Per-file limits of the analysis stage, apart from the stage itself so the CLI can load them alone. */
import { DEFAULT_READ_LIMITS, type ReadLimits } from './read-source.js';

export interface AnalysisLimits extends ReadLimits {
  /** Per-file parse budget in milliseconds; unset means no limit. */
  maxParseMs?: number;
}

export const DEFAULT_ANALYSIS_LIMITS: AnalysisLimits = { ...DEFAULT_READ_LIMITS, maxParseMs: 10_000 };
