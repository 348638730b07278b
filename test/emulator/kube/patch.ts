/** Patch application: JSON merge patch, a strategic-merge approximation (lists of named objects merge by name), JSON patch. */
import type { KubeObject } from './store.ts';

const isObject = (v: unknown): v is KubeObject => typeof v === 'object' && v !== null && !Array.isArray(v);

export function mergePatch(target: unknown, patch: unknown, strategic: boolean): unknown {
  if (!isObject(patch)) return patch;
  const out: KubeObject = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (strategic && key.startsWith('$')) continue; // $setElementOrder, $retainKeys, $patch directives
    if (value === null) {
      delete out[key];
    } else if (
      strategic &&
      Array.isArray(value) &&
      Array.isArray(out[key]) &&
      value.every((v) => isObject(v) && typeof v.name === 'string')
    ) {
      const existing = out[key] as KubeObject[];
      out[key] = value.map((v: KubeObject) =>
        mergePatch(
          existing.find((e) => e.name === v.name),
          v,
          true,
        ),
      );
    } else {
      out[key] = mergePatch(out[key], value, strategic);
    }
  }
  return out;
}

/** RFC 6902 add / replace / remove / test on object paths and array indexes. */
export function jsonPatch(target: KubeObject, ops: Array<{ op: string; path: string; value?: unknown }>): KubeObject {
  const doc = structuredClone(target);
  for (const op of ops) {
    const keys = op.path
      .split('/')
      .slice(1)
      .map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = keys.pop()!;
    let parent: KubeObject = doc;
    for (const k of keys) parent = parent[k] ??= {};
    if (op.op === 'remove') {
      if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else delete parent[last];
    } else if (op.op === 'add' || op.op === 'replace') {
      if (Array.isArray(parent) && op.op === 'add') parent.splice(last === '-' ? parent.length : Number(last), 0, op.value);
      else (parent as KubeObject)[last] = op.value;
    }
  }
  return doc;
}
