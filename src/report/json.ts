import type { Report } from '../model.js';
import { jsonSafe } from './escape.js';

export function renderJson(report: Report): string {
  return jsonSafe(JSON.stringify(report, null, 2)) + '\n';
}
