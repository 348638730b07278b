/** The hint table: real codes first, then any code of the same class by message and HTTP status. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deniedAction, hintFor, isRamDenial, isThrottlingAnswer } from './hints.ts';

describe('hintFor', () => {
  it("tells Log Service's 401 Unauthorized apart by message (observability MCP server's error table)", () => {
    assert.match(hintFor('Unauthorized', 401, 'The security token you provided has expired.')!, /STS token has expired/);
    assert.match(hintFor('Unauthorized', 401, 'The security token you provided is invalid.')!, /STS token is not valid/);
    assert.match(hintFor('Unauthorized', 401, 'AccessKeyId not found: LTAI5tXXX')!, /AccessKey id is not known/);
    assert.match(hintFor('Unauthorized', 401, 'AccessKeyId is disabled: LTAI5tXXX')!, /AccessKey is disabled/);
    assert.match(hintFor('Unauthorized', 401, 'The project does not belong to you.')!, /belongs to another Alibaba Cloud account/);
    assert.match(
      hintFor('Unauthorized', 401, 'denied by sts or ram, action: log:GetLogStoreLogs, resource: acs:log:…')!,
      /RAM does not allow/,
    );
    assert.match(hintFor('Unauthorized', 401, 'something new')!, /Log Service refused these credentials/);
  });

  it("names the action of ACK's RAM denial, whatever code carries it", () => {
    for (const [code, message] of [
      ['StatusForbidden', 'RAM policy Forbidden for action cs:ScaleClusterNodePool'],
      ['StatusForbidden', 'STSToken policy Forbidden for action cs:ScaleClusterNodePool'],
      ['ErrorCheckAcl', 'RAM policy Forbidden for action cs:ScaleClusterNodePool'],
      ['SomethingNew', 'RAM policy Forbidden for action cs:ScaleClusterNodePool'],
    ] as const) {
      assert.match(hintFor(code, 403, message)!, /lacks permission for cs:ScaleClusterNodePool: grant it in RAM/, code);
    }
    assert.equal(deniedAction('denied by sts or ram, action: log:ListLogStores, resource: x'), 'log:ListLogStores');
    assert.equal(isRamDenial('Forbidden.RAM', 403, 'User not authorized to operate on the specified resource'), true);
  });

  it("classifies codes it does not know by HTTP status and message (the emulator's invented ACK codes included)", () => {
    assert.match(hintFor('ErrorTaskNotExist', 404, 'no such task')!, /does not exist: check the id/);
    assert.match(hintFor('NodePoolNotFound', 400, 'x')!, /does not exist/);
    assert.match(hintFor('ErrorNodepoolBusy', 400, 'the node pool is busy')!, /Another operation is still in progress/);
    assert.match(hintFor('OperationConflict', 409, 'x')!, /Another operation is still in progress/);
    assert.match(hintFor('Whatever', 403, 'no')!, /refused these credentials/);
    assert.match(hintFor('Whatever', 503, 'no')!, /temporary failure/);
    assert.equal(hintFor('Whatever', 400, 'no'), undefined);
  });

  it('counts Log Service quota answers as throttling (aliyun-log-go-sdk error_code.go)', () => {
    for (const code of [
      'ReadQuotaExceed',
      'WriteQuotaExceed',
      'ShardReadQuotaExceed',
      'MetaOperationQpsLimitExceeded',
      'ServerBusy',
      'Throttling.User',
    ]) {
      assert.equal(isThrottlingAnswer(code, 403), true, code);
      assert.match(hintFor(code, 403, '')!, /throttling/);
    }
    assert.equal(isThrottlingAnswer(undefined, 429), true);
    assert.equal(isThrottlingAnswer('ProjectNotExist', 404), false);
  });
});
