/**
 * STS as an emulated product (RPC over ACS3): GetCallerIdentity answers the caller's account. It needs
 * no RAM permission (Alibaba's API reference lists no authorization for it), so no key is ever denied it.
 */
import { serveAcs3Operation } from '../acs3-product.ts';
import type { EmulatedProduct } from '../index.ts';

export const stsProduct: EmulatedProduct = {
  name: 'sts',
  matches(req) {
    return req.headers['x-acs-version'] === '2015-04-01';
  },
  async serve(ctx, request) {
    const action = String(request.req.headers['x-acs-action'] ?? '');
    await serveAcs3Operation('sts', ctx, request, action === 'GetCallerIdentity' ? {
      action,
      run(caller, requestId) {
        const sts = caller.key.securityToken !== undefined;
        return {
          RequestId: requestId,
          AccountId: caller.account.accountId,
          UserId: sts ? `3${caller.account.accountId.slice(1)}:ack-mcp` : `2${caller.account.accountId.slice(1, 15)}`,
          IdentityType: sts ? 'AssumedRoleUser' : 'RAMUser',
          Arn: sts ? `acs:ram::${caller.account.accountId}:assumed-role/ack-mcp/ack-mcp` : `acs:ram::${caller.account.accountId}:user/ack-mcp`,
          PrincipalId: caller.key.accessKeyId,
        };
      },
    } : undefined);
  },
};
