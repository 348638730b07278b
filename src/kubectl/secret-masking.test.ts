import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LAST_APPLIED, MASK, MASKED_DATA } from './masking.ts';
import { maskLastApplied, maskSecretResponse, SecretMasker } from './secret-masking.ts';

const PLAINTEXT = 'S3cr3t-P@ssw0rd';
const B64 = Buffer.from(PLAINTEXT).toString('base64');
const applied = JSON.stringify({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'db' },
  stringData: { password: PLAINTEXT },
  type: 'Opaque',
});

function secret(name: string, data: Record<string, string>, extra: object = {}): object {
  return {
    kind: 'Secret',
    apiVersion: 'v1',
    metadata: {
      name,
      namespace: 'default',
      labels: { data: 'label-named-data' },
      annotations: { [LAST_APPLIED]: `${applied}\n`, note: 'kept' },
    },
    data,
    type: 'Opaque',
    ...extra,
  };
}

/** The structural expectation, computed independently with JSON.parse. */
function expected(body: unknown): unknown {
  const walk = (v: any, under: 'data' | 'stringData' | undefined): any => {
    if (typeof v === 'string') return under === 'data' ? MASKED_DATA : under === 'stringData' ? MASK : v;
    if (Array.isArray(v)) return v.map((x) => walk(x, under));
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v))
        out[k] = walk(x, under ?? ((k === 'data' || k === 'stringData') && typeof x === 'object' ? k : undefined));
      const ann = out.metadata && (out.metadata as any).annotations;
      if (ann && typeof ann[LAST_APPLIED] === 'string') ann[LAST_APPLIED] = maskLastApplied(ann[LAST_APPLIED]);
      return out;
    }
    return v;
  };
  return walk(structuredClone(body), undefined);
}

const leaks = (text: string) => text.includes(PLAINTEXT) || text.includes(B64);

describe('SecretMasker', () => {
  test('a Secret: data values, stringData values and the last-applied manifest are masked; everything else is kept', () => {
    const body = secret('db', { password: B64, username: 'YmlsbGluZw==' }, { stringData: { token: PLAINTEXT } });
    const out = maskSecretResponse(JSON.stringify(body, null, 2));
    assert.ok(!leaks(out), out);
    assert.deepEqual(JSON.parse(out), expected(body));
    const parsed = JSON.parse(out);
    assert.deepEqual(parsed.data, { password: MASKED_DATA, username: MASKED_DATA });
    assert.equal(parsed.metadata.labels.data, 'label-named-data');
    assert.equal(parsed.metadata.annotations.note, 'kept');
    assert.deepEqual(JSON.parse(parsed.metadata.annotations[LAST_APPLIED]).stringData, { password: MASK });
    assert.equal(Buffer.from(MASKED_DATA, 'base64').toString(), MASK);
  });

  test('lists, tables (rows carry the object) and watch streams (one event per line)', () => {
    const list = {
      kind: 'SecretList',
      apiVersion: 'v1',
      metadata: { resourceVersion: '7' },
      items: [secret('a', { k: B64 }), secret('b', {}), secret('c', { x: B64, y: B64 })],
    };
    const table = {
      kind: 'Table',
      apiVersion: 'meta.k8s.io/v1',
      columnDefinitions: [{ name: 'Name' }],
      rows: [{ cells: ['a', 'Opaque', 1, '5d'], object: secret('a', { k: B64 }) }],
    };
    for (const body of [list, table]) {
      const out = maskSecretResponse(JSON.stringify(body));
      assert.ok(!leaks(out));
      assert.deepEqual(JSON.parse(out), expected(body));
    }
    const events = [
      { type: 'ADDED', object: secret('a', { k: B64 }) },
      { type: 'MODIFIED', object: secret('a', { k: B64, l: B64 }) },
      { type: 'BOOKMARK', object: { kind: 'Secret', metadata: { resourceVersion: '9' } } },
    ];
    const stream = `${events.map((e) => JSON.stringify(e)).join('\n')}\n`;
    const out = maskSecretResponse(stream);
    assert.ok(!leaks(out));
    assert.deepEqual(
      out
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line)),
      events.map(expected),
    );
  });

  test('the output is the same however the body is cut into chunks (byte by byte included)', () => {
    const body = JSON.stringify({
      kind: 'SecretList',
      items: [secret('a', { 'tls.crt': B64, 'we\\"ird': `${B64}\\"x` }), secret('b', { p: B64 }, { stringData: { s: 'ü\u2028"q"' } })],
    });
    const whole = maskSecretResponse(body);
    const bytes = Buffer.from(body);
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let trial = 0; trial < 60; trial++) {
      const masker = new SecretMasker();
      const out: Buffer[] = [];
      let at = 0;
      while (at < bytes.length) {
        const size = trial === 0 ? 1 : 1 + Math.floor(random() * 40);
        out.push(...masker.write(bytes.subarray(at, at + size)));
        at += size;
      }
      masker.end();
      assert.equal(Buffer.concat(out).toString(), whole, `trial ${trial}`);
    }
    assert.ok(!leaks(whole));
    assert.deepEqual(JSON.parse(whole), expected(JSON.parse(body)));
  });

  test('a 200 KB value (a Helm release) never passes, whatever the chunking', () => {
    const release = Buffer.from(`${PLAINTEXT}-${'x'.repeat(150_000)}`).toString('base64');
    const body = JSON.stringify(secret('sh.helm.release.v1.web.v3', { release }, { type: 'helm.sh/release.v1' }));
    const masker = new SecretMasker();
    const out: Buffer[] = [];
    for (let at = 0; at < body.length; at += 16_384) out.push(...masker.write(Buffer.from(body.slice(at, at + 16_384))));
    masker.end();
    const text = Buffer.concat(out).toString();
    assert.ok(text.length < 2_000, `${text.length} bytes`);
    assert.ok(!text.includes(release.slice(1000, 1100)) && !leaks(text));
  });

  test('keys written with escapes are decoded before they are compared', () => {
    const body = `{"kind":"Secret","d\\u0061ta":{"p":"${B64}"},"metadata":{"annot\\u0061tions":{"kubectl.kubernetes.io\\/last-applied-configuration":"${JSON.stringify(applied).slice(1, -1)}"}}}`;
    const out = maskSecretResponse(body);
    assert.ok(!leaks(out), out);
    assert.equal(JSON.parse(out).data.p, MASKED_DATA);
  });

  test('a last-applied value that is not JSON, or too large, is replaced whole', () => {
    const body = { kind: 'Secret', metadata: { annotations: { [LAST_APPLIED]: `password=${PLAINTEXT}` } } };
    assert.equal(JSON.parse(maskSecretResponse(JSON.stringify(body))).metadata.annotations[LAST_APPLIED], MASK);
    const huge = {
      kind: 'Secret',
      metadata: { annotations: { [LAST_APPLIED]: JSON.stringify({ data: { p: B64 }, pad: 'y'.repeat(600_000) }) } },
    };
    assert.equal(JSON.parse(maskSecretResponse(JSON.stringify(huge))).metadata.annotations[LAST_APPLIED], MASK);
    assert.equal(maskLastApplied('{"data":"not-a-map"}'), MASK);
    assert.equal(maskLastApplied('[1]'), MASK);
  });

  test('Status answers pass unchanged', () => {
    const status =
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"secrets \\"x\\" not found","reason":"NotFound","details":{"name":"x","kind":"secrets"},"code":404}\n';
    assert.equal(maskSecretResponse(status), status);
  });

  test('malformed or cut JSON is an error, and nothing after the fault is passed', () => {
    for (const bad of [
      '{"data":{"p":"x"}}}',
      '{"a" "b"}',
      '{"a":1,}',
      '[1,]',
      '{"a":}',
      'nope',
      '{"\\x":1}',
      '01',
      `{"data":{"p":"${B64}`,
    ]) {
      assert.throws(() => maskSecretResponse(bad), /cannot mask the Secret response/, bad);
    }
    const masker = new SecretMasker();
    const out = masker.write(Buffer.from(`{"data":{"p":"${B64}`));
    assert.ok(!leaks(Buffer.concat(out).toString()));
    assert.throws(() => masker.end(), /ended inside a JSON value/);
  });
});
