/**
 * Masking kubectl output is linear in the output and never throws, whatever a go-template prints, and it decides
 * exactly as the masking it replaced (test/support/quadratic-masking.ts) on a generated corpus. Work is counted as
 * regular-expression executions, not timed.
 */
import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { stringify } from 'yaml';
import { quadraticMaskKubectlOutput } from '../../test/support/quadratic-masking.ts';
import { MASK, MASKED_DATA } from './masking.ts';
import { maskKubectlOutput } from './output-filter.ts';
import { runKubectl } from './runner.ts';
import { prng } from '../../test/support/prng.ts';

const B64 = Buffer.from('S3cr3t-P@ssw0rd').toString('base64');
const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ0ZXN0In0.c2lnbmF0dXJlLXZhbHVl';
const YAML_PIECES = [
  'apiVersion: v1',
  'kind: Secret',
  'kind: ConfigMap',
  'kind: List',
  "kind: 'Secret'",
  'kind: "Secret"',
  'kind:  Secret  ',
  'data:',
  'stringData:',
  'data: {}',
  'items:',
  'metadata:',
  'annotations:',
  'kubectl.kubernetes.io/last-applied-configuration: |',
  'kubectl.kubernetes.io/last-applied-configuration: {"kind":"Secret"}',
  'managedFields:',
  'manager: kubectl',
  'name: web',
  `password: ${B64}`,
  'token: abc.def.ghi',
  'type: Opaque',
  'key: value',
  '"quoted key": v',
  "'single': v",
  'Annotations:  a: b',
  'Data',
  '====',
  'password:  15 bytes',
  '',
  '   ',
  'x',
  'finalizers:',
  'spec:',
  `release: ${B64}`,
  'no colon here',
];
const JSON_PIECES = [
  '{',
  '}',
  '},',
  '[',
  ']',
  '],',
  '"data": {',
  '"stringData": {',
  '"kind": "Secret",',
  '"kind": "ConfigMap",',
  '"kind": "Secret"',
  `"password": "${B64}",`,
  '"a": "b"',
  '"managedFields": [',
  '"items": [',
  '"metadata": {',
  '"kubectl.kubernetes.io/last-applied-configuration": "{\\"kind\\":\\"Secret\\"}",',
  '"x": 1,',
  `"${B64}"`,
];
const CREDENTIAL_PIECES = [
  'Bearer abcdefghijkl',
  JWT,
  `-eyJ-eyJ${JWT.slice(3)}`,
  `x-${JWT}`,
  'LTAI5tQ7xYzAbCdEfGh',
  'STS.abcdefghijklmnopqr',
  'CAISabcdefghijklmnopqrstuvwxyz',
  'access_key_secret=abc',
  'SecurityToken: xyz',
  MASKED_DATA,
  'client-key-data: LS0tLS1C',
  'token: "quoted-value"',
];

function generatedText(random: () => number): string {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const lines: string[] = [];
  for (let i = Math.floor(random() * 40); i >= 0; i--) {
    const indent = ' '.repeat(random() < 0.7 ? 2 * Math.floor(random() * 5) : Math.floor(random() * 10));
    const item = random() < 0.15 ? pick(['- ', '- - ', '-  ']) : '';
    const roll = random();
    const piece = roll < 0.55 ? pick(YAML_PIECES) : roll < 0.85 ? pick(JSON_PIECES) : pick(CREDENTIAL_PIECES);
    lines.push(`${indent}${item}${piece}${random() < 0.1 ? ` ${pick(CREDENTIAL_PIECES)}` : ''}`);
  }
  return lines.join('\n') + (random() < 0.5 ? '\n' : '');
}

/** kubectl-like YAML and JSON of Secrets, ConfigMaps and Lists of them, cut at a random point or not. */
function printedObjects(random: () => number): { text: string; cut: boolean } {
  const object = (kind: string) => ({
    apiVersion: 'v1',
    ...(random() < 0.5 ? { data: { password: B64, 'tls.key': B64 } } : {}),
    kind,
    metadata: {
      name: 'web',
      annotations:
        random() < 0.5
          ? { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({ kind, stringData: { a: 'plain' } }) }
          : { note: 'kept' },
      ...(random() < 0.5 ? { finalizers: ['a', 'b'], managedFields: [{ manager: 'kubectl', fieldsV1: { 'f:data': {} } }] } : {}),
    },
    ...(random() < 0.3 ? { stringData: { token: 'plain-token' } } : {}),
  });
  const kinds = ['Secret', 'ConfigMap', 'Pod'];
  const value =
    random() < 0.5
      ? object(kinds[Math.floor(random() * 3)]!)
      : {
          apiVersion: 'v1',
          items: [object('ConfigMap'), object('Secret'), object('Pod')].slice(0, 1 + Math.floor(random() * 3)),
          kind: 'List',
        };
  const text = random() < 0.5 ? stringify(value, { indentSeq: false }) : `${JSON.stringify(value, null, 4)}\n`;
  if (random() < 0.5) return { text, cut: false };
  return { text: text.slice(0, Math.floor(random() * text.length)), cut: true };
}

/** How many times `run` executes a regular expression (every exec, test, match and replace step goes through exec). */
function regexExecutions(run: () => void): number {
  const exec = RegExp.prototype.exec;
  let count = 0;
  RegExp.prototype.exec = function (this: RegExp, subject: string) {
    count++;
    return exec.call(this, subject);
  };
  try {
    run();
  } finally {
    RegExp.prototype.exec = exec;
  }
  return count;
}

/** Outputs that made the old masking quadratic, n units long. */
const HOSTILE: Record<string, (n: number) => string> = {
  'go-template {{range N}}data:{{"\\n"}}{{end}}': (n) => 'data:\n'.repeat(n),
  'list items that each hold a data block': (n) => '- data:\n  x: 1\n'.repeat(n),
  'data blocks at many indents, then kind: Secret': (n) =>
    `${Array.from({ length: n }, (_, i) => `${' '.repeat(i % 40)}data:\n`).join('')}kind: Secret\n`,
  'JSON data members without a kind': (n) => '    "data": {\n'.repeat(n),
  'JSON managedFields never closed': (n) => '"managedFields": [\n'.repeat(n),
  'YAML managedFields keys': (n) => 'managedFields:\n'.repeat(n),
  'dash-separated JWT starts': (n) => '-eyJ'.repeat(n),
  'kind lines between data lines': (n) => 'data:\nkind: ConfigMap\n'.repeat(n),
};

describe('maskKubectlOutput is linear in the output', () => {
  for (const [name, make] of Object.entries(HOSTILE)) {
    test(`${name}: ten times the output, at most ~ten times the work`, () => {
      for (const cut of [false, true]) {
        const small = regexExecutions(() => maskKubectlOutput(make(400), { cut }));
        const large = regexExecutions(() => maskKubectlOutput(make(4000), { cut }));
        assert.ok(large <= 11 * small + 50, `${name} (cut: ${cut}): ${small} regex executions for 400 units, ${large} for 4000`);
      }
    });
  }

  test("the issue's 13,000 data: lines come back unchanged (no kind, nothing to mask), with linear work", () => {
    const output = 'data:\n'.repeat(13_000);
    for (const cut of [false, true]) assert.equal(maskKubectlOutput(output, { cut }), output);
    const work = regexExecutions(() => maskKubectlOutput(output, { cut: true }));
    assert.ok(work < 20 * 13_000, `${work} regex executions for 13,000 lines`);
  });
});

describe('maskKubectlOutput decides as the masking it replaced', () => {
  test('generated YAML, JSON, describe and credential lines, cut or not (4000 cases)', () => {
    const random = prng(0x5ec12e7);
    for (let n = 0; n < 4000; n++) {
      const text = generatedText(random);
      const cut = random() < 0.5;
      assert.equal(maskKubectlOutput(text, { cut }), quadraticMaskKubectlOutput(text, { cut }), `case ${n} (cut: ${cut}):\n${text}`);
    }
  });

  test('Secrets, ConfigMaps and Lists printed as YAML and JSON, cut at random points (1500 cases)', () => {
    const random = prng(0xc0ffee);
    for (let n = 0; n < 1500; n++) {
      const { text, cut } = printedObjects(random);
      assert.equal(maskKubectlOutput(text, { cut }), quadraticMaskKubectlOutput(text, { cut }), `case ${n} (cut: ${cut}):\n${text}`);
    }
  });
});

describe('maskKubectlOutput never throws', () => {
  test('carriage returns and other line separators (logs of a Windows container, a progress bar)', () => {
    assert.equal(maskKubectlOutput('line one\r\nline two\r\n'), 'line one\r\nline two\r\n');
    assert.equal(maskKubectlOutput('progress 10%\rprogress 20%\rdone\n'), 'progress 10%\rprogress 20%\rdone\n');
    assert.equal(maskKubectlOutput('a\u2028b\u2029c'), 'a\u2028b\u2029c');
    assert.equal(maskKubectlOutput(`data:\r\n  password: ${B64}\r\nkind: Secret\r\n`), `data:\r\n  password: ${MASK}\nkind: Secret\r\n`);
  });

  test('JSON nested deeper than any object (a go-template prints 40,000 brackets)', () => {
    const deep = `${'['.repeat(40_000)}${']'.repeat(40_000)}`;
    assert.equal(maskKubectlOutput(deep), deep);
    const secret = JSON.stringify({ kind: 'Secret', data: { password: B64 } });
    const nested = maskKubectlOutput(`${'['.repeat(1500)}${secret}${']'.repeat(1500)}`); // too deep to re-print: line by line
    assert.ok(!nested.includes(B64) && nested.includes(`"password":"${MASK}"`), nested.slice(1490, 1560));
    const shallow = maskKubectlOutput(`[[${secret}]]`);
    assert.ok(!shallow.includes(B64) && shallow.includes(`"password": "${MASK}"`), shallow);
  });

  test('a kubectl that prints them: the run ends with its output (the server process would otherwise die)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kubectl-output-test-'));
    try {
      const kubectlPath = join(dir, 'kubectl');
      await writeFile(
        kubectlPath,
        `#!${process.execPath}\nprocess.stdout.write('building\\r 50%\\r100%\\r\\n' + '['.repeat(20000) + ']'.repeat(20000));\n`,
      );
      await chmod(kubectlPath, 0o755);
      const run = await runKubectl({
        kubectlPath,
        args: ['logs', 'web'],
        kubeconfigPath: join(dir, 'k'),
        cacheDir: join(dir, 'c'),
        homeDir: dir,
        timeoutSeconds: 30,
        maxOutputBytes: 1000,
        limits: { memoryMb: 4096, cpuSeconds: 30, prlimitPath: undefined },
      });
      assert.equal(run.exitCode, 0);
      assert.ok(run.stdout.startsWith('building\r 50%\r100%\r\n[[['), run.stdout.slice(0, 40));
      assert.ok(run.stdoutDropped > 0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
