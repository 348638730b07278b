import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Server as NetServer } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createCsClient, loadCsSdk, type CsClient } from '../clients/cs-client.ts';
import { loadConfig } from '../config.ts';
import { toToolFailure } from '../errors/map-error.ts';
import { OutcomeUnknownFailure, ToolFailure } from '../errors/tool-failure.ts';
import { UnreadableAnswerError } from '../errors/unreadable-answer.ts';
import { callRead, callWrite, classifyFailure, DEFAULT_MAX_DELAY_MS, retryDelayMs } from './call-upstream.ts';

const policy = { maxRetries: 2, baseDelayMs: 1, attemptTimeoutMs: 50 };
const write = { summary: 'scale node pool np1 by 2', howToCheck: 'Call list_nodepools.' };

function sdkError(statusCode: number, code: string | undefined, data: Record<string, unknown> = { requestId: 'R1' }) {
  return Object.assign(new Error(`code: ${statusCode}, failed request id: R1`), { statusCode, code: `${code}`, data });
}

function systemError(code: string, syscall: string) {
  return Object.assign(new Error(`${syscall} ${code} cs.cn-hangzhou.aliyuncs.com`), { code, syscall, errno: -1 });
}

/** What the SDK throws when a body is not JSON (a gateway's HTML page, an empty 504, a cut-off 200). */
const notJson = () => new SyntaxError('Unexpected token \'<\', "<html><bod"... is not valid JSON');
/** What the SDK throws when a JSON body has the wrong shape. */
const castFailure = () => new Error('type of nodepools is mismatch, expect array, but string');

function attempts<T>(outcomes: Array<T | Error | 'hang'>) {
  let count = 0;
  const run = () => {
    const outcome = outcomes[Math.min(count, outcomes.length - 1)];
    count += 1;
    if (outcome === 'hang') return new Promise<T>(() => undefined);
    return outcome instanceof Error ? Promise.reject(outcome) : Promise.resolve(outcome as T);
  };
  return { run, count: () => count };
}

function assertOutcomeUnknown(pattern: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof OutcomeUnknownFailure, String(error));
    assert.match(error.message, pattern);
    assert.match(error.message, /It may or may not have been applied, so it was NOT retried\./);
    assert.match(error.details.hint ?? '', /^Do not repeat it blindly\. Call list_nodepools\./);
    return true;
  };
}

describe('classifyFailure', () => {
  for (const [what, error, kind] of [
    ['a 4xx throttling answer', sdkError(400, 'Throttling.User'), 'throttled'],
    // Log Service throttles with 403 quota codes (aliyun-log-go-sdk error_code.go): real throttling, retried on reads.
    ['Log Service 403 ReadQuotaExceed', sdkError(403, 'ReadQuotaExceed'), 'throttled'],
    ['Log Service 403 MetaOperationQpsLimitExceeded', sdkError(403, 'MetaOperationQpsLimitExceeded'), 'throttled'],
    ['ACK 403 StatusForbidden (a RAM denial)', sdkError(403, 'StatusForbidden'), 'rejected'],
    ['a 429', sdkError(429, 'TooManyRequests'), 'throttled'],
    ['a 4xx with an error code', sdkError(404, 'ErrorClusterNotFound'), 'rejected'],
    ['a 4xx without an error code', sdkError(400, undefined, { message: 'weird' }), 'codeless-4xx'],
    ['a 5xx', sdkError(503, 'ServiceUnavailable'), 'server-error'],
    ['a 5xx throttling answer', sdkError(503, 'Throttling'), 'server-error'],
    ['a body that is not JSON', notJson(), 'unreadable'],
    ['a body of the wrong shape', castFailure(), 'unreadable'],
    ['an answer without a needed field', new UnreadableAnswerError('the answer has no task_id'), 'unreadable'],
    ['ECONNREFUSED on connect', systemError('ECONNREFUSED', 'connect'), 'not-sent'],
    ['EHOSTUNREACH on connect', systemError('EHOSTUNREACH', 'connect'), 'not-sent'],
    ['ENOTFOUND on lookup', systemError('ENOTFOUND', 'getaddrinfo'), 'not-sent'],
    ['EAI_AGAIN on lookup', systemError('EAI_AGAIN', 'getaddrinfo'), 'not-sent'],
    [
      'every address refused',
      new AggregateError([systemError('ECONNREFUSED', 'connect'), systemError('ECONNREFUSED', 'connect')]),
      'not-sent',
    ],
    ['ECONNRESET after connecting', systemError('ECONNRESET', 'read'), 'lost'],
    ['a socket hang up', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), 'lost'],
    ['ECONNREFUSED without the connect syscall', Object.assign(new Error('ECONNREFUSED'), { code: 'ECONNREFUSED' }), 'lost'],
    [
      'the SDK\'s "ConnectTimeout" (a socket idle timer)',
      Object.assign(new Error('ConnectTimeout: Connect http://x failed.'), { name: 'RequestTimeoutError' }),
      'lost',
    ],
    ['an abort', Object.assign(new Error('The operation was aborted'), { name: 'AbortError', code: 'ABORT_ERR' }), 'cancelled'],
    ['a bug', new TypeError('x is not a function'), 'unknown'],
  ] as const) {
    test(`${what}: ${kind}`, () => assert.equal(classifyFailure(error), kind));
  }
});

describe('retry pauses', () => {
  test('grow exponentially but never beyond the cap, even with a 10 s base and 10 retries', () => {
    const slow = { maxRetries: 10, baseDelayMs: 10_000 };
    let total = 0;
    for (let attempt = 0; attempt < 10; attempt += 1) {
      const pause = retryDelayMs(slow, attempt, sdkError(400, 'Throttling.User'));
      assert.ok(pause <= DEFAULT_MAX_DELAY_MS, `pause ${attempt} is ${pause} ms`);
      total += pause;
    }
    assert.ok(total <= 10 * DEFAULT_MAX_DELAY_MS);
    assert.ok(retryDelayMs({ ...slow, maxDelayMs: 200 }, 9, new Error()) <= 200);
  });

  test("honour the throttling answer's retry-after, up to the cap", () => {
    const throttled = Object.assign(sdkError(400, 'Throttling.User'), { retryAfter: 1234 });
    assert.equal(retryDelayMs({ maxRetries: 3, baseDelayMs: 1 }, 0, throttled), 1234);
    assert.equal(retryDelayMs({ maxRetries: 3, baseDelayMs: 1, maxDelayMs: 500 }, 0, throttled), 500);
  });

  test('no retry starts once the time budget is spent, whatever maxRetries says', async () => {
    const op = attempts<string>([sdkError(503, 'ServiceUnavailable'), 'ok']);
    await assert.rejects(callRead({ maxRetries: 10, baseDelayMs: 1, budgetMs: 0 }, op.run));
    assert.equal(op.count(), 1);
    const write = attempts<string>([sdkError(400, 'Throttling.User'), 'done']);
    await assert.rejects(
      callWrite({ maxRetries: 10, baseDelayMs: 1, budgetMs: 0 }, { summary: 'x', howToCheck: 'y' }, write.run),
      /nothing was changed/,
    );
    assert.equal(write.count(), 1);
  });
});

describe('callRead', () => {
  test('retries throttling, 5xx and a hung attempt, then succeeds', async () => {
    const op = attempts<string>([sdkError(400, 'Throttling.User'), 'hang', 'ok']);
    assert.equal(await callRead(policy, op.run), 'ok');
    assert.equal(op.count(), 3);
  });

  test('retries answers it cannot read (HTML 502, empty 504, garbled 200, wrong shape), then succeeds', async () => {
    const op = attempts<string>([notJson(), castFailure(), 'ok']);
    assert.equal(await callRead(policy, op.run), 'ok');
    assert.equal(op.count(), 3);
  });

  test('an answer that stays unreadable ends in UpstreamBadResponse, not InternalError', async () => {
    const op = attempts<string>([new SyntaxError('Unexpected end of JSON input')]);
    let logged = false;
    await assert.rejects(callRead(policy, op.run), (error: unknown) => {
      const failure = toToolFailure(error, () => (logged = true));
      assert.equal(failure.code, 'UpstreamBadResponse');
      assert.match(failure.message, /^Alibaba Cloud's answer could not be read \(an empty or cut-off body\); asked 3 times\.$/);
      return true;
    });
    assert.equal(op.count(), 3);
    assert.equal(logged, false, 'not logged as a bug');
  });

  test('retries a connection that could not be opened', async () => {
    const op = attempts<string>([systemError('ECONNREFUSED', 'connect'), systemError('EAI_AGAIN', 'getaddrinfo'), 'ok']);
    assert.equal(await callRead(policy, op.run), 'ok');
  });

  test('does not retry a client error', async () => {
    const op = attempts<string>([sdkError(404, 'ErrorClusterNotFound'), 'ok']);
    await assert.rejects(callRead(policy, op.run), /failed/);
    assert.equal(op.count(), 1);
  });

  test("a 4xx without an error code is reported as Upstream<status> with the body's message, once", async () => {
    const op = attempts<string>([sdkError(400, undefined, { message: 'weird' }), 'ok']);
    await assert.rejects(callRead(policy, op.run), (error: unknown) => {
      const failure = toToolFailure(error, () => assert.fail('not a bug'));
      assert.equal(failure.code, 'Upstream400');
      assert.equal(failure.message, 'Alibaba Cloud answered HTTP 400 without an error code: weird');
      return true;
    });
    assert.equal(op.count(), 1);
  });

  test('gives up after the bound', async () => {
    const op = attempts<string>([sdkError(503, 'ServiceUnavailable')]);
    await assert.rejects(callRead(policy, op.run));
    assert.equal(op.count(), 3);
  });

  test('a client that goes away during a pause gets Cancelled, not a logged InternalError', async () => {
    const controller = new AbortController();
    const op = attempts<string>([sdkError(400, 'Throttling.User'), 'ok']);
    const call = callRead({ maxRetries: 3, baseDelayMs: 10_000, maxDelayMs: 10_000, budgetMs: 60_000 }, op.run, controller.signal);
    setImmediate(() => controller.abort());
    await assert.rejects(call, (error: unknown) => {
      const failure = toToolFailure(error, () => assert.fail('a cancellation is not a bug'));
      assert.equal(failure.code, 'Cancelled');
      return true;
    });
    assert.equal(op.count(), 1);
  });
});

describe('callWrite', () => {
  test('retries a throttling rejection (it happened before the operation)', async () => {
    const op = attempts<string>([sdkError(400, 'Throttling.User'), 'done']);
    assert.equal(await callWrite(policy, write, op.run), 'done');
    assert.equal(op.count(), 2);
  });

  test('throttled on every attempt: sent maxRetries+1 times, and the answer says nothing was changed', async () => {
    const op = attempts<string>([
      sdkError(400, 'Throttling.User', { requestId: 'R9', message: 'Request was denied due to user flow control.' }),
    ]);
    await assert.rejects(callWrite(policy, write, op.run), (error: unknown) => {
      assert.ok(error instanceof ToolFailure && !(error instanceof OutcomeUnknownFailure));
      assert.equal(error.code, 'Throttling.User');
      assert.equal(
        error.message,
        'Alibaba Cloud refused to scale node pool np1 by 2 3 times: it throttled the request (Request was denied due to user flow control.). ' +
          'Throttling refuses a request before it runs, so nothing was changed.',
      );
      assert.equal(error.details.requestId, 'R9');
      return true;
    });
    assert.equal(op.count(), 3);
  });

  test('a connection that could not be opened is retried; if it never opens, the answer says it was not sent', async () => {
    const op = attempts<string>([systemError('ENOTFOUND', 'getaddrinfo')]);
    await assert.rejects(callWrite(policy, write, op.run), (error: unknown) => {
      assert.ok(error instanceof ToolFailure && !(error instanceof OutcomeUnknownFailure));
      assert.equal(error.code, 'UpstreamUnreachable');
      assert.match(
        error.message,
        /^The request to scale node pool np1 by 2 was not sent: .*\(ENOTFOUND; tried 3 times\)\. Nothing was changed\.$/,
      );
      return true;
    });
    assert.equal(op.count(), 3);
  });

  for (const [what, outcome, pattern] of [
    ['a 5xx', sdkError(500, 'InternalError'), /was sent, but Alibaba Cloud answered HTTP 500 \(InternalError\)\./],
    ['a timeout after sending', 'hang', /was sent, but no answer arrived in time\./],
    [
      'a reset after sending',
      systemError('ECONNRESET', 'read'),
      /was sent, but the connection broke before an answer arrived \(ECONNRESET\)\./,
    ],
    ['an HTML 502 page', notJson(), /was sent, but the answer could not be read \(not JSON: Unexpected token '<'.*\)\./],
    [
      'an empty 504',
      new SyntaxError('Unexpected end of JSON input'),
      /was sent, but the answer could not be read \(an empty or cut-off body\)\./,
    ],
    [
      'a 200 of the wrong shape',
      castFailure(),
      /was sent, but the answer could not be read \(not the documented shape: type of nodepools is mismatch/,
    ],
    [
      'a 200 without a task id',
      new UnreadableAnswerError('the answer has no task_id'),
      /was sent, but the answer could not be read \(the answer has no task_id\)\./,
    ],
    [
      'a 4xx without an error code',
      sdkError(400, undefined, { message: 'weird' }),
      /was sent, but Alibaba Cloud answered HTTP 400 without an error code \("weird"\)\./,
    ],
  ] as const) {
    test(`${what} is never retried: outcome unknown, with how to check`, async () => {
      const op = attempts<string>([outcome, 'done']);
      await assert.rejects(callWrite(policy, write, op.run), assertOutcomeUnknown(pattern));
      assert.equal(op.count(), 1);
    });
  }

  test('an unexpected error is outcome unknown too, and its cause is logged as a bug', async () => {
    const bug = new TypeError('x is not a function');
    const op = attempts<string>([bug, 'done']);
    const logged: unknown[] = [];
    await assert.rejects(callWrite(policy, write, op.run), (error: unknown) => {
      assert.equal(toToolFailure(error, (cause) => logged.push(cause)).code, 'OutcomeUnknown');
      return true;
    });
    assert.deepEqual(logged, [bug]);
    assert.equal(op.count(), 1);
  });

  test('a plain rejection passes through unchanged', async () => {
    const op = attempts<string>([sdkError(403, 'Forbidden.RAM')]);
    await assert.rejects(callWrite(policy, write, op.run), (error: { code?: string }) => error.code === 'Forbidden.RAM');
    assert.equal(op.count(), 1);
  });

  test('cancelled while waiting to retry a throttled write: Cancelled, nothing was changed', async () => {
    const controller = new AbortController();
    const op = attempts<string>([sdkError(400, 'Throttling.User'), 'done']);
    const call = callWrite({ maxRetries: 3, baseDelayMs: 10_000, maxDelayMs: 10_000, budgetMs: 60_000 }, write, op.run, controller.signal);
    setImmediate(() => controller.abort());
    await assert.rejects(call, (error: unknown) => {
      assert.ok(error instanceof ToolFailure);
      assert.equal(error.code, 'Cancelled');
      assert.match(error.message, /nothing was changed/);
      return true;
    });
    assert.equal(op.count(), 1);
  });
});

describe('with the real CS SDK over real sockets', () => {
  // The unit tests' 50 ms bound per attempt is shorter than the SDK's own work on a loaded machine (signing, a new
  // connection): an attempt cut by it is "lost", not what these tests are about. Refusals and resets come at once.
  const socketPolicy = { ...policy, attemptTimeoutMs: 20_000 };
  let refusedPort: number;
  let holder: NetServer;
  let resetting: Server;
  let received = 0;

  async function client(endpoint: string): Promise<CsClient> {
    const config = loadConfig({
      CS_ENDPOINT: endpoint,
      ALIBABA_CLOUD_ENDPOINT_PROTOCOL: 'http',
      CREDENTIAL_SOURCES: 'caller',
      UPSTREAM_CONNECT_TIMEOUT_MS: '1000',
    });
    return createCsClient(
      config,
      {
        accessKeyId: 'LTAI5tUnitTestKey000001',
        accessKeySecret: 'unit-test-secret',
        securityToken: undefined,
        source: 'caller',
        identityKey: 'k',
      },
      'cn-hangzhou',
    );
  }

  async function scale(cs: CsClient) {
    const { models } = await loadCsSdk();
    return cs.scaleClusterNodePool('c1', 'np1', new models.ScaleClusterNodePoolRequest({ count: 2 }));
  }

  before(async () => {
    // A port that is provably refused for the whole test: this test listens on 127.0.0.1:<port> and connects to
    // 127.0.0.2:<port> (loopback too, on Linux). Nothing listens there, and while the listener holds the port nobody
    // else can bind it on 127.0.0.1 or on every address (a closed listener's port, as before, could be handed to
    // another test's server under load; and a held connection's port can be picked by the client itself, which then
    // connects to itself).
    holder = createNetServer((socket) => socket.destroy());
    holder.listen(0, '127.0.0.1');
    await once(holder, 'listening');
    refusedPort = (holder.address() as AddressInfo).port;
    // Reads the whole request, then drops the connection without answering: the request was sent.
    resetting = createServer((req) => {
      req.resume();
      req.on('end', () => {
        received += 1;
        req.socket.destroy();
      });
    });
    resetting.listen(0, '127.0.0.1');
    await once(resetting, 'listening');
  });
  after(() => {
    holder.close();
    resetting.close();
  });

  test('a refused port is classified "not sent"; a write there is retried and answered "not sent, nothing changed"', async () => {
    const cs = await client(`127.0.0.2:${refusedPort}`);
    let tries = 0;
    await assert.rejects(
      callWrite(socketPolicy, write, () => {
        tries += 1;
        return scale(cs);
      }),
      (error: unknown) => {
        assert.ok(error instanceof ToolFailure && !(error instanceof OutcomeUnknownFailure), String(error));
        assert.match(
          error.message,
          /was not sent: the connection to Alibaba Cloud could not be opened \(ECONNREFUSED; tried 3 times\)\. Nothing was changed\./,
        );
        return true;
      },
    );
    assert.equal(tries, 3);
  });

  test("a throttling answer's x-acs-retry-after reaches the pause through the SDK", async () => {
    const throttling = createServer((req, res) => {
      req.resume();
      res.writeHead(400, { 'content-type': 'application/json', 'x-acs-retry-after': '1234' });
      res.end(JSON.stringify({ code: 'Throttling.User', message: 'Request was denied due to user flow control.', requestId: 'R2' }));
    });
    throttling.listen(0, '127.0.0.1');
    await once(throttling, 'listening');
    try {
      const cs = await client(`127.0.0.1:${(throttling.address() as AddressInfo).port}`);
      const error = await scale(cs).then(
        () => assert.fail('throttled'),
        (caught: unknown) => caught,
      );
      assert.equal(classifyFailure(error), 'throttled');
      assert.equal(retryDelayMs({ maxRetries: 3, baseDelayMs: 1 }, 0, error), 1234);
      assert.equal(
        retryDelayMs({ maxRetries: 3, baseDelayMs: 1 }, 0, Object.assign(error as object, { retryAfter: 600_000 })),
        DEFAULT_MAX_DELAY_MS,
      );
    } finally {
      throttling.close();
    }
  });

  test('a connection dropped after the request was written stays ambiguous: outcome unknown, sent once', async () => {
    const cs = await client(`127.0.0.1:${(resetting.address() as AddressInfo).port}`);
    received = 0;
    await assert.rejects(
      callWrite(socketPolicy, write, () => scale(cs)),
      assertOutcomeUnknown(/was sent, but the connection broke before an answer arrived \(ECONNRESET\)\./),
    );
    assert.equal(received, 1, 'the server received the request exactly once');
  });
});
