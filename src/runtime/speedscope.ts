/**
 * py-spy `record --format speedscope`: the speedscope file format
 * (https://www.speedscope.app/file-format-schema.json). Frames live in `shared.frames`
 * ({name, file, line}); each profile (py-spy writes one per thread) is `sampled` — stacks of frame
 * indices, outermost first, with one weight per stack — or `evented` (open/close events; time
 * between events belongs to the stack open at the time).
 */
import { ProfileError, type ProfileFrame, type RuntimeProfile, type StackSample } from './types.js';

type Json = Record<string, unknown>;

const isObject = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x);

export function looksLikeSpeedscope(doc: unknown): boolean {
  return isObject(doc) && isObject(doc.shared) && Array.isArray(doc.shared.frames) && Array.isArray(doc.profiles);
}

function frameOf(raw: unknown, index: number): ProfileFrame {
  if (!isObject(raw) || typeof raw.name !== 'string') throw new ProfileError(`speedscope frame ${index} has no name`);
  const line = typeof raw.line === 'number' && Number.isFinite(raw.line) && raw.line > 0 ? Math.floor(raw.line) : 0;
  return { name: raw.name, file: typeof raw.file === 'string' ? raw.file : '', line };
}

function sampledStacks(profile: Json, frames: ProfileFrame[], where: string): StackSample[] {
  const samples = profile.samples;
  if (!Array.isArray(samples)) throw new ProfileError(`${where}: sampled profile without a samples array`);
  const weights = Array.isArray(profile.weights) ? profile.weights : [];
  const out: StackSample[] = [];
  samples.forEach((stack, i) => {
    if (!Array.isArray(stack)) throw new ProfileError(`${where}: sample ${i} is not a list of frame indices`);
    const w = weights[i];
    const weight = typeof w === 'number' && Number.isFinite(w) && w >= 0 ? w : 1;
    out.push({ frames: stack.map((idx) => frameAt(frames, idx, where)), weight });
  });
  return out;
}

function frameAt(frames: ProfileFrame[], idx: unknown, where: string): ProfileFrame {
  if (typeof idx !== 'number' || !Number.isInteger(idx) || idx < 0 || idx >= frames.length) throw new ProfileError(`${where}: frame index ${String(idx)} out of range (0–${frames.length - 1})`);
  return frames[idx];
}

function eventedStacks(profile: Json, frames: ProfileFrame[], where: string): StackSample[] {
  const events = profile.events;
  if (!Array.isArray(events)) throw new ProfileError(`${where}: evented profile without an events array`);
  const open: ProfileFrame[] = [];
  const out: StackSample[] = [];
  let last = typeof profile.startValue === 'number' ? profile.startValue : 0;
  for (const ev of events) {
    if (!isObject(ev) || typeof ev.at !== 'number') throw new ProfileError(`${where}: event without a time`);
    if (open.length && ev.at > last) out.push({ frames: [...open], weight: ev.at - last });
    last = Math.max(last, ev.at);
    const frame = frameAt(frames, ev.frame, where);
    if (ev.type === 'O') open.push(frame);
    else if (ev.type === 'C') open.pop();
    else throw new ProfileError(`${where}: event type ${String(ev.type)} is neither O nor C`);
  }
  return out;
}

export function readSpeedscope(doc: unknown, source: string): RuntimeProfile {
  if (!looksLikeSpeedscope(doc)) throw new ProfileError('not a speedscope file (no shared.frames / profiles)');
  const file = doc as Json & { shared: { frames: unknown[] }; profiles: unknown[] };
  const frames = file.shared.frames.map(frameOf);
  const stacks: StackSample[] = [];
  file.profiles.forEach((p, i) => {
    const where = `profile ${i}`;
    if (!isObject(p)) throw new ProfileError(`${where} is not an object`);
    if (p.type === 'sampled') stacks.push(...sampledStacks(p, frames, where));
    else if (p.type === 'evented') stacks.push(...eventedStacks(p, frames, where));
    else throw new ProfileError(`${where}: unknown profile type ${String(p.type)}`);
  });
  return {
    source, format: 'py-spy-speedscope', exporter: typeof file.exporter === 'string' ? file.exporter : undefined,
    separatesNative: false, stacks, lines: [],
  };
}
