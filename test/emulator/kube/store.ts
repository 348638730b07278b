/** In-memory object store with resource versions, uids and label/field selectors. */
import { randomUUID } from 'node:crypto';
import type { ResourceType } from './resources.ts';

export type KubeObject = Record<string, any>;

export class ObjectStore {
  private readonly objects = new Map<string, KubeObject>();
  private revision = 1000;

  private key(type: ResourceType, namespace: string | undefined, name: string): string {
    return `${type.group}/${type.resource}/${type.namespaced ? (namespace ?? '') : ''}/${name}`;
  }

  nextResourceVersion(): string {
    return String(++this.revision);
  }

  get resourceVersion(): string {
    return String(this.revision);
  }

  get(type: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    const found = this.objects.get(this.key(type, namespace, name));
    return found ? structuredClone(found) : undefined;
  }

  list(type: ResourceType, namespace: string | undefined): KubeObject[] {
    const prefix = `${type.group}/${type.resource}/${type.namespaced && namespace ? `${namespace}/` : ''}`;
    return [...this.objects.entries()]
      .filter(([k]) => k.startsWith(prefix))
      .map(([, v]) => structuredClone(v))
      .sort((a, b) => `${a.metadata.namespace ?? ''}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace ?? ''}/${b.metadata.name}`));
  }

  /** Insert or replace; fills uid, creationTimestamp and a new resourceVersion. */
  put(type: ResourceType, object: KubeObject): KubeObject {
    const meta = (object.metadata ??= {});
    if (!type.namespaced) delete meta.namespace;
    meta.uid ??= randomUUID();
    meta.creationTimestamp ??= new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    meta.resourceVersion = this.nextResourceVersion();
    object.apiVersion = type.group ? `${type.group}/${type.version}` : type.version;
    object.kind = type.kind;
    this.objects.set(this.key(type, meta.namespace, meta.name), structuredClone(object));
    return structuredClone(object);
  }

  delete(type: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    const key = this.key(type, namespace, name);
    const found = this.objects.get(key);
    this.objects.delete(key);
    return found;
  }
}

/** `a=b`, `a==b`, `a!=b`, `a`, `!a`, `a in (x,y)`, `a notin (x,y)`, comma-separated. */
export function matchesLabelSelector(labels: Record<string, string> | undefined, selector: string | null): boolean {
  if (!selector) return true;
  const l = labels ?? {};
  const parts = selector.match(/[^,(]+(\([^)]*\))?/g) ?? [];
  return parts.every((raw) => {
    const part = raw.trim();
    let m: RegExpMatchArray | null;
    if ((m = part.match(/^(\S+)\s+(in|notin)\s+\(([^)]*)\)$/))) {
      const values = m[3]!.split(',').map((v) => v.trim());
      const has = m[1]! in l && values.includes(l[m[1]!]!);
      return m[2] === 'in' ? has : !has;
    }
    if ((m = part.match(/^([^!=]+)!=(.*)$/))) return l[m[1]!.trim()] !== m[2]!.trim();
    if ((m = part.match(/^([^!=]+)==?(.*)$/))) return l[m[1]!.trim()] === m[2]!.trim();
    if (part.startsWith('!')) return !(part.slice(1) in l);
    return part in l;
  });
}

/** Field selectors on dotted paths: `metadata.name=x,involvedObject.uid=y,status.phase!=Running`. */
export function matchesFieldSelector(object: KubeObject, selector: string | null): boolean {
  if (!selector) return true;
  return selector.split(',').every((part) => {
    const m = part.match(/^([^!=]+)(!=|==|=)(.*)$/);
    if (!m) return true;
    let value: unknown = object;
    for (const key of m[1]!.trim().split('.')) value = (value as KubeObject | undefined)?.[key];
    const actual = value === undefined || value === null ? '' : String(value);
    return m[2] === '!=' ? actual !== m[3] : actual === m[3];
  });
}
