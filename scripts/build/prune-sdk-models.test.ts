import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { REPO_ROOT } from './function-package.ts';
import { clientMethods, pruneClientMethods, pruneModelIndex, reachableModels, sourceIdentifiers } from './prune-sdk-models.ts';

const client = `class Client extends openapi_core_1.default {
    constructor(config) {
        super(config);
    }
    async describeThingWithOptions(request, headers, runtime) {
        request.validate();
        return $dara.cast(await this.callApi(params, req, runtime), new $_model.DescribeThingResponse({}));
    }
    async describeThing(request) {
        let runtime = new $dara.RuntimeOptions({});
        return await this.describeThingWithOptions(request, {}, runtime);
    }
    async deleteThing(request) {
        return $dara.cast(await this.callApi(params, req, runtime), new $_model.DeleteThingResponse({}));
    }
}`;

const index = [
  '"use strict";',
  'Object.defineProperty(exports, "__esModule", { value: true });',
  'var DescribeThingRequest_1 = require("./DescribeThingRequest");',
  'Object.defineProperty(exports, "DescribeThingRequest", { enumerable: true, get: function () { return DescribeThingRequest_1.DescribeThingRequest; } });',
  'var DescribeThingResponse_1 = require("./DescribeThingResponse");',
  'Object.defineProperty(exports, "DescribeThingResponse", { enumerable: true, get: function () { return DescribeThingResponse_1.DescribeThingResponse; } });',
  'var DeleteThingResponse_1 = require("./DeleteThingResponse");',
  'Object.defineProperty(exports, "DeleteThingResponse", { enumerable: true, get: function () { return DeleteThingResponse_1.DeleteThingResponse; } });',
].join('\n');

describe('prune-sdk-models', () => {
  test('splits the client into its methods', () => {
    assert.deepEqual([...clientMethods(client).keys()], ['constructor', 'describeThingWithOptions', 'describeThing', 'deleteThing']);
  });

  test('keeps the models of the methods the source calls, those they call through this.…(, and those the source names', () => {
    const names = new Set(['DescribeThingRequest', 'DescribeThingResponse', 'DeleteThingResponse']);
    assert.deepEqual([...reachableModels(client, new Set(['describeThing']), names)].sort(), ['DescribeThingResponse']);
    assert.deepEqual([...reachableModels(client, new Set(['describeThing', 'DescribeThingRequest']), names)].sort(), [
      'DescribeThingRequest',
      'DescribeThingResponse',
    ]);
    assert.deepEqual([...reachableModels(client, new Set(['somethingElse']), names)], []);
  });

  test('rewrites the index to require and export only what it keeps', () => {
    const pruned = pruneModelIndex(index, new Set(['DescribeThingResponse']));
    assert.match(pruned, /require\("\.\/DescribeThingResponse"\)/);
    assert.match(pruned, /exports, "DescribeThingResponse"/);
    assert.doesNotMatch(pruned, /DeleteThing|DescribeThingRequest/);
    assert.match(pruned, /"use strict";\nObject\.defineProperty\(exports, "__esModule"/);
  });

  test('cuts the client class to its constructor and the methods the source reaches, keeping what surrounds the class', () => {
    const file = `"use strict";\nconst x = 1;\n${client.replace('super(config);', 'super(config);\n        this.setUp();').replace('    async deleteThing', '    setUp() {\n        return 1;\n    }\n    async deleteThing')}\nexports.default = Client;\n`;
    const pruned = pruneClientMethods(file, new Set(['describeThing']));
    assert.deepEqual([...clientMethods(pruned).keys()], ['constructor', 'describeThingWithOptions', 'describeThing', 'setUp']);
    assert.match(pruned, /^"use strict";\nconst x = 1;\nclass Client extends openapi_core_1\.default \{\n/);
    assert.match(pruned, /\n\}\nexports\.default = Client;\n$/);
    assert.doesNotMatch(pruned, /deleteThing/);
    assert.throws(() => pruneClientMethods('module.exports = {};', new Set()), /not in the expected shape/);
  });

  test('refuses an index of another shape (an SDK update must not silently drop models)', () => {
    assert.throws(() => pruneModelIndex('export * from "./a";', new Set()), /not in the expected shape/);
  });

  test('on the installed ACK SDK: keeps what the server calls, drops what it does not', async () => {
    const sdkDir = dirname(createRequire(join(REPO_ROOT, 'package.json')).resolve('@alicloud/cs20151215'));
    const [clientJs, modelJs] = await Promise.all([
      readFile(join(sdkDir, 'client.js'), 'utf8'),
      readFile(join(sdkDir, 'models', 'model.js'), 'utf8'),
    ]);
    const names = new Set([...modelJs.matchAll(/^Object\.defineProperty\(exports, "([\w$]+)"/gm)].map((match) => match[1]!));
    const keep = reachableModels(clientJs, await sourceIdentifiers(join(REPO_ROOT, 'src')), names);
    for (const used of [
      'DescribeClusterNodesRequest',
      'DescribeClusterNodesResponse',
      'ScaleClusterNodePoolResponse',
      'RemoveNodePoolNodesShrinkRequest',
      'DescribeTaskInfoResponse',
    ]) {
      assert.ok(keep.has(used), `keeps ${used}`);
    }
    for (const unused of ['CreateClusterRequest', 'DeleteClusterResponse', 'UpgradeClusterNodepoolRequest'])
      assert.ok(!keep.has(unused), `drops ${unused}`);
    assert.ok(keep.size < names.size / 10, `keeps ${keep.size} of ${names.size} exports`);
  });
});
