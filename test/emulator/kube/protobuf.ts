/**
 * Just enough Kubernetes protobuf to read the bodies kubectl 1.33 sends as protobuf (its typed clients do, e.g. for
 * SelfSubjectAccessReview): the `k8s\0` envelope (runtime.Unknown) and plain field walking.
 */
type Fields = Map<number, Buffer[]>;

function readVarint(buf: Buffer, pos: number): [number, number] {
  let result = 0;
  let shift = 0;
  for (;;) {
    const byte = buf[pos++]!;
    result += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return [result, pos];
    shift += 7;
  }
}

/** Length-delimited fields by number (varints and fixed fields are skipped). */
export function readFields(buf: Buffer): Fields {
  const fields: Fields = new Map();
  let pos = 0;
  while (pos < buf.length) {
    const [key, p1] = readVarint(buf, pos);
    const field = Math.floor(key / 8);
    const wire = key & 7;
    pos = p1;
    if (wire === 0) pos = readVarint(buf, pos)[1];
    else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else if (wire === 2) {
      const [len, p2] = readVarint(buf, pos);
      const list = fields.get(field) ?? [];
      list.push(buf.subarray(p2, p2 + len));
      fields.set(field, list);
      pos = p2 + len;
    } else throw new Error(`unsupported protobuf wire type ${wire}`);
  }
  return fields;
}

export const field = (f: Fields, n: number): Buffer | undefined => f.get(n)?.[0];
export const text = (f: Fields, n: number): string | undefined => field(f, n)?.toString('utf8');

/** Unwrap the `k8s\0` envelope: the object's raw protobuf bytes. */
export function unwrapEnvelope(body: Buffer): Buffer {
  if (body.subarray(0, 4).toString('latin1') !== 'k8s\0') throw new Error('not a Kubernetes protobuf body');
  return field(readFields(body.subarray(4)), 2) ?? Buffer.alloc(0);
}

/** SelfSubjectAccessReview (authorization.k8s.io/v1) from protobuf, as the JSON shape. */
export function decodeSelfSubjectAccessReview(body: Buffer): {
  spec: { resourceAttributes?: Record<string, string>; nonResourceAttributes?: Record<string, string> };
} {
  const review = readFields(unwrapEnvelope(body));
  const spec = readFields(field(review, 2) ?? Buffer.alloc(0));
  const ra = field(spec, 1);
  const nra = field(spec, 2);
  const out: { spec: { resourceAttributes?: Record<string, string>; nonResourceAttributes?: Record<string, string> } } = { spec: {} };
  if (ra) {
    const f = readFields(ra);
    const names = ['', 'namespace', 'verb', 'group', 'version', 'resource', 'subresource', 'name'];
    out.spec.resourceAttributes = {};
    for (let i = 1; i < names.length; i++) {
      const v = text(f, i);
      if (v !== undefined) out.spec.resourceAttributes[names[i]!] = v;
    }
  }
  if (nra) {
    const f = readFields(nra);
    out.spec.nonResourceAttributes = { path: text(f, 1) ?? '', verb: text(f, 2) ?? '' };
  }
  return out;
}
