/**
 * What the server caches per identity (kubeconfig, cluster region, discovered projects) belongs to one exact
 * credential, security token included, and never outlives it: an entry ends a minute before a known expiry (the
 * default chain's), and after STS_CACHE_MAX_SECONDS for an STS credential whose expiry the server cannot see
 * (a caller's headers, FC's role). Time is moved on a mocked `Date.now`, the clock of the caches and of the
 * emulator's STS expiry check (signing dates, timers and the network run for real; every step stays within the
 * emulator's 15-minute clock-skew window).
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test, type TestContext } from 'node:test';
import { kubeUserOf } from '../emulator/cs/kubeconfig.ts';
import type { AccessKey, AccountRecord, ClusterRecord } from '../emulator/world.ts';
import { callerHeaders, rememberSecrets, startStack, type Stack } from '../support/stack.ts';

const MINUTE = 60_000;
let stack: Stack;
let account: AccountRecord;
let cluster: ClusterRecord;
let nextKey = 1;

/** A new STS key of the demo account, expiring `lifetimeMs` from now (the emulator refuses it afterwards). */
function addStsKey(lifetimeMs: number): AccessKey {
  const n = String(nextKey++).padStart(4, '0');
  const key: AccessKey = {
    accessKeyId: `STS.NTLifetimeSession${n}`,
    accessKeySecret: `StsLifetimeSecretAbcdefghij${n}`,
    securityToken: `CAIS-lifetime-security-token-${n}`,
    expiresAt: Date.now() + lifetimeMs,
  };
  account.accessKeys.push(key);
  return key;
}

async function kubectl(headers: Record<string, string>, target: Stack = stack) {
  const response = await target.post(
    {
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: { name: 'kubectl', arguments: { cluster_id: cluster.cluster_id, command: 'get ns' } },
    },
    headers,
  );
  const result = response.body.result as { isError?: boolean; content: Array<{ text: string }> };
  return { isError: result.isError === true, text: result.content[0]!.text };
}

const kubeconfigFetches = (target: Stack = stack) => target.emulator.callLog.of('DescribeClusterUserKubeconfig').length;

/** Moves `Date.now` forward by `ms` for the rest of the test. */
function clock(t: TestContext): (ms: number) => void {
  let offset = 0;
  const realNow = Date.now.bind(Date);
  t.mock.method(Date, 'now', () => realNow() + offset);
  return (ms) => {
    offset += ms;
  };
}

before(async () => {
  stack = await startStack();
  account = stack.emulator.world.accounts[0]!;
  cluster = account.clusters[0]!;
});
after(() => stack.close());
beforeEach(() => {
  stack.emulator.callLog.clear();
  stack.emulator.kube.requests.length = 0;
});

describe('the security token is part of the identity', () => {
  test('an STS key with a bogus token never runs kubectl, even after its real token cached a kubeconfig', async () => {
    const key = addStsKey(60 * MINUTE);
    const valid = await kubectl(callerHeaders(key));
    assert.equal(valid.isError, false, valid.text);
    const user = kubeUserOf({ account, key });
    const asUser = () => stack.emulator.kube.requests.filter((request) => request.user === user).length;
    const before = asUser();
    const bogusToken = 'CAIS-bogus-security-token-not-issued-0001';
    rememberSecrets(bogusToken);
    const bogus = await kubectl({ ...callerHeaders(key), 'x-aliyun-security-token': bogusToken });
    assert.equal(bogus.isError, true, bogus.text);
    assert.match(bogus.text, /^Error InvalidSecurityToken\.MismatchWithAccessKey/);
    assert.equal(asUser(), before, 'no request reached the API server as the role');
    const without = await kubectl({ 'x-aliyun-access-key-id': key.accessKeyId, 'x-aliyun-access-key-secret': key.accessKeySecret });
    assert.match(without.text, /^Error InvalidSecurityToken\.Malformed/);
    assert.equal(asUser(), before);
  });
});

describe('no cached entry outlives its credential', () => {
  test("a caller's STS key (expiry unknown): a kubeconfig is reused for STS_CACHE_MAX_SECONDS at most; once the token expired, the next fetch is refused", async (t) => {
    const tick = clock(t);
    const key = addStsKey(8 * MINUTE);
    assert.equal((await kubectl(callerHeaders(key))).isError, false);
    tick(4 * MINUTE);
    assert.equal((await kubectl(callerHeaders(key))).isError, false);
    assert.equal(kubeconfigFetches(), 1, 'reused within STS_CACHE_MAX_SECONDS (default 300)');
    tick(1 * MINUTE + 1_000);
    const renewed = await kubectl(callerHeaders(key));
    assert.equal(renewed.isError, false, renewed.text);
    assert.equal(kubeconfigFetches(), 2, 'fetched again after STS_CACHE_MAX_SECONDS although the kubeconfig itself lives an hour');
    tick(5 * MINUTE); // the token expired at 8 minutes; the kubeconfig fetched at 5 is cached until 10
    const expired = await kubectl(callerHeaders(key));
    assert.equal(expired.isError, true, 'the token expired: kubectl must not run');
    assert.match(expired.text, /^Error InvalidSecurityToken\.Expired/);
  });

  test("an AccessKey without a token keeps its kubeconfig for the kubeconfig's own lifetime", async (t) => {
    const tick = clock(t);
    const key = account.accessKeys[0]!;
    assert.equal((await kubectl(callerHeaders(key))).isError, false);
    const fetched = kubeconfigFetches();
    tick(10 * MINUTE);
    assert.equal((await kubectl(callerHeaders(key))).isError, false);
    assert.equal(kubeconfigFetches(), fetched);
  });

  test("the default chain's STS credential (expiry known): entries last until a minute before it expires, then Alibaba Cloud decides", async (t) => {
    const key = addStsKey(12 * MINUTE);
    const chained = await startStack({
      emulator: { world: stack.emulator.world },
      env: { CREDENTIAL_SOURCES: 'default' },
      defaultChain: {
        get: async () => ({
          accessKeyId: key.accessKeyId,
          accessKeySecret: key.accessKeySecret,
          securityToken: key.securityToken,
          expiresAt: key.expiresAt,
        }),
      },
    });
    try {
      const tick = clock(t);
      assert.equal((await kubectl({}, chained)).isError, false);
      tick(7 * MINUTE);
      assert.equal((await kubectl({}, chained)).isError, false);
      assert.equal(kubeconfigFetches(chained), 1, 'a known expiry is used instead of STS_CACHE_MAX_SECONDS');
      tick(4 * MINUTE + 30_000);
      const late = await kubectl({}, chained);
      assert.equal(late.isError, false, late.text);
      assert.equal(kubeconfigFetches(chained), 2, 'within a minute of the expiry nothing is reused');
      tick(MINUTE);
      const expired = await kubectl({}, chained);
      assert.match(expired.text, /^Error InvalidSecurityToken\.Expired/);
    } finally {
      await chained.close();
    }
  });
});
