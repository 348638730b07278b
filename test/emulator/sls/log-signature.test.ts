/**
 * The emulator checks Log Service's `LOG` signature as published ("Request signatures"):
 *   VERB \n CONTENT-MD5 \n CONTENT-TYPE \n DATE \n CanonicalizedLOGHeaders \n CanonicalizedResource
 * Fixed vectors pin the string to sign and the signature; requests over HTTP prove the emulator
 * refuses what Log Service refuses (wrong secret, tampered body, unsigned x-log header, stale Date).
 */
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { EmulatorError } from '../http-util.ts';
import { startEmulator, type Emulator } from '../index.ts';
import { clusterIdFor, createDemoWorld } from '../world.ts';
import { checkLogDate, logSignature, logStringToSign, verifyLogSignature } from './log-signature.ts';
import { slsProduct } from './product.ts';

const SECRET = 'DemoSecretAbcdefghijklmnopqrs01';
const DATE = 'Mon, 02 Sep 2024 06:00:00 GMT';

// GET /logstores?size=500&offset=0, hmac-sha256 (what the current SDK sends).
const LIST = {
  method: 'GET',
  path: '/logstores',
  query: new URLSearchParams('size=500&offset=0'),
  headers: {
    date: DATE,
    'x-log-apiversion': '0.6.0',
    'x-log-signaturemethod': 'hmac-sha256',
    'x-log-project': 'k8s-log-c1',
    'x-log-bodyrawsize': '0',
    'user-agent': 'not signed',
  } as IncomingHttpHeaders,
  body: Buffer.alloc(0),
  stringToSign:
    'GET\n\n\nMon, 02 Sep 2024 06:00:00 GMT\nx-log-apiversion:0.6.0\nx-log-bodyrawsize:0\nx-log-project:k8s-log-c1\nx-log-signaturemethod:hmac-sha256\n/logstores?offset=0&size=500',
  signature: 'N/BgVHecxGxxCtj8Sj2tZ8lWqhoTWpso/fqFn336a24=',
};

// POST /logstores/k8s-event/logs with a JSON body and an STS token, hmac-sha1 (the documented method).
const BODY = '{"from":1725256800,"to":1725260400,"query":"reason: BackOff | SELECT count(*) AS n","line":21,"reverse":true}';
const LOGS = {
  method: 'POST',
  path: '/logstores/k8s-event/logs',
  query: new URLSearchParams(),
  headers: {
    date: DATE,
    'content-type': 'application/json',
    'content-md5': 'E1588543F94D71164F6525501359EF5F',
    'x-log-apiversion': '0.6.0',
    'x-log-signaturemethod': 'hmac-sha1',
    'x-log-project': 'k8s-log-c1',
    'x-log-bodyrawsize': '109',
    'x-acs-security-token': 'CAIS-token',
  } as IncomingHttpHeaders,
  body: Buffer.from(BODY),
  stringToSign:
    'POST\nE1588543F94D71164F6525501359EF5F\napplication/json\nMon, 02 Sep 2024 06:00:00 GMT\nx-acs-security-token:CAIS-token\nx-log-apiversion:0.6.0\nx-log-bodyrawsize:109\nx-log-project:k8s-log-c1\nx-log-signaturemethod:hmac-sha1\n/logstores/k8s-event/logs',
  signature: '5O78w+DDNwjXuT0EoWRG5yXugNg=',
};

describe('LOG signature: fixed vectors from the published string to sign', () => {
  for (const [name, vector] of Object.entries({ 'hmac-sha256 GET with query': LIST, 'hmac-sha1 POST with body and token': LOGS })) {
    it(`builds the string to sign and the signature (${name})`, () => {
      assert.equal(logStringToSign(vector.method, vector.path, vector.query, vector.headers), vector.stringToSign);
      assert.equal(logSignature(vector.stringToSign, SECRET, String(vector.headers['x-log-signaturemethod'])), vector.signature);
      assert.equal(verifyLogSignature(vector, vector.signature, SECRET), undefined);
    });
  }

  it('the body hash is the upper-case hex MD5 of the body', () => {
    assert.equal(createHash('md5').update(BODY).digest('hex').toUpperCase(), LOGS.headers['content-md5']);
  });

  it('refuses the signature under another secret', () => {
    assert.equal(verifyLogSignature(LIST, LIST.signature, 'AnotherSecretAbcdefghijklmnop99'), 'signature mismatch');
  });

  it('refuses a tampered body, whose Content-MD5 no longer matches', () => {
    const tampered = { ...LOGS, body: Buffer.from(BODY.replace('BackOff', 'Pulled!')) };
    assert.equal(verifyLogSignature(tampered, LOGS.signature, SECRET), 'Content-MD5 does not match the body.');
  });

  it('refuses an x-log header added after signing (every x-log-* header is signed)', () => {
    const added = { ...LIST, headers: { ...LIST.headers, 'x-log-topic': 'injected' } };
    assert.equal(verifyLogSignature(added, LIST.signature, SECRET), 'signature mismatch');
  });

  it('refuses a request whose hash does not match x-log-signaturemethod', () => {
    const sha1 = { ...LIST, headers: { ...LIST.headers, 'x-log-signaturemethod': 'hmac-sha1' } };
    assert.equal(verifyLogSignature(sha1, LIST.signature, SECRET), 'signature mismatch');
  });

  it('accepts a Date within 15 minutes and answers RequestTimeExpired outside', () => {
    const now = Date.parse(DATE);
    checkLogDate(DATE, now + 14 * 60_000);
    checkLogDate(DATE, now - 14 * 60_000);
    assert.throws(
      () => checkLogDate(DATE, now + 16 * 60_000),
      (error: EmulatorError) => error.status === 400 && error.code === 'RequestTimeExpired',
    );
    assert.throws(
      () => checkLogDate('yesterday', now),
      (error: EmulatorError) => error.code === 'InvalidDateFormat',
    );
    assert.throws(
      () => checkLogDate(undefined, now),
      (error: EmulatorError) => error.code === 'MissingDate',
    );
  });
});

describe('LOG signature: the emulator enforces it on the wire', () => {
  let emulator: Emulator;
  const world = createDemoWorld();
  const key = world.accounts[0]!.accessKeys[0]!;
  const project = `k8s-log-${clusterIdFor('prod-hangzhou')}`;

  before(async () => {
    emulator = await startEmulator({ world, products: [slsProduct] });
  });
  after(() => emulator.close());

  /** A client written from the published formula, independent of the SDK and of the emulator's code. */
  async function request(
    options: {
      method?: 'hmac-sha1' | 'hmac-sha256';
      secret?: string;
      date?: Date;
      body?: string;
      sendBody?: string;
      extraHeader?: boolean;
      hostHasProject?: boolean;
    } = {},
  ) {
    const body = options.body;
    const date = (options.date ?? new Date()).toUTCString();
    const md5 = body ? createHash('md5').update(body).digest('hex').toUpperCase() : '';
    const type = body ? 'application/json' : '';
    const logHeaders: Record<string, string> = {
      'x-log-apiversion': '0.6.0',
      'x-log-bodyrawsize': String(body?.length ?? 0),
      'x-log-project': project,
      'x-log-signaturemethod': options.method ?? 'hmac-sha256',
    };
    const canonical = Object.keys(logHeaders)
      .sort()
      .map((name) => `${name}:${logHeaders[name]}`)
      .join('\n');
    const resource = body ? '/logstores/k8s-event/logs' : '/logstores?offset=0&size=10';
    const verb = body ? 'POST' : 'GET';
    const signString = `${verb}\n${md5}\n${type}\n${date}\n${canonical}\n${resource}`;
    const signature = createHmac(options.method === 'hmac-sha1' ? 'sha1' : 'sha256', options.secret ?? key.accessKeySecret)
      .update(signString)
      .digest('base64');
    // Log Service reads the project from the Host name only (node:http: fetch cannot set Host).
    const host = options.hostHasProject === false ? emulator.endpoint : `${project}.${emulator.endpoint}`;
    const headers: Record<string, string> = {
      ...logHeaders,
      host,
      date,
      authorization: `LOG ${key.accessKeyId}:${signature}`,
      ...(body ? { 'content-type': type, 'content-md5': md5 } : {}),
      ...(options.extraHeader ? { 'x-log-topic': 'injected' } : {}),
    };
    const response = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const sent = httpRequest(`${emulator.url}${resource}`, { method: verb, headers }, (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => resolve({ status: answer.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      });
      sent.on('error', reject);
      sent.end(body ? (options.sendBody ?? body) : undefined);
    });
    return { status: response.status, body: JSON.parse(response.text) as Record<string, unknown> };
  }

  const query = JSON.stringify({
    from: Math.floor(Date.now() / 1000) - 3600,
    to: Math.floor(Date.now() / 1000) + 60,
    query: '* | SELECT count(*) AS n',
  });

  it('accepts a valid hmac-sha256 and a valid hmac-sha1 request', async () => {
    const sha256 = await request();
    assert.equal(sha256.status, 200, JSON.stringify(sha256.body));
    assert.ok((sha256.body.logstores as string[]).includes('k8s-event'));
    const sha1 = await request({ method: 'hmac-sha1', body: query });
    assert.equal(sha1.status, 200, JSON.stringify(sha1.body));
    assert.deepEqual(sha1.body.data, [{ n: '18' }]);
  });

  it('refuses the wrong secret, a tampered body and an unsigned x-log header with 401 SignatureNotMatch', async () => {
    for (const options of [
      { secret: 'WrongSecretAbcdefghijklmnopqrs' },
      { body: query, sendBody: query.replace('count', 'max') },
      { extraHeader: true },
    ]) {
      const answer = await request(options);
      assert.equal(answer.status, 401, JSON.stringify(options));
      assert.equal(answer.body.errorCode, 'SignatureNotMatch');
    }
  });

  it('routes by Host only: a signed x-log-project header with a bare IP Host names no project', async () => {
    const answer = await request({ hostHasProject: false });
    assert.equal(answer.status, 404, JSON.stringify(answer.body));
    assert.equal(answer.body.errorCode, 'ProjectNotExist');
  });

  it('refuses a correctly signed request dated 20 minutes ago with 400 RequestTimeExpired', async () => {
    const answer = await request({ date: new Date(Date.now() - 20 * 60_000) });
    assert.equal(answer.status, 400);
    assert.equal(answer.body.errorCode, 'RequestTimeExpired');
    assert.match(String(answer.body.errorMessage), /has been expired while server time is/);
  });
});
