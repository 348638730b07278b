/** Argument schemas shared by tools: id formats and bounds checked before any API call. */
import { z } from 'zod';
import { REGION_PATTERN } from '../cluster/region-id.ts';

export const clusterIdArg = z
  .string()
  .regex(/^c[0-9a-z]{16,40}$/, 'must be an ACK cluster id: "c" followed by 16-40 lowercase letters or digits')
  .describe('ACK cluster id, e.g. c82e6987e2961451182edacd74faf1234 (list_clusters shows them)');

export const nodePoolIdArg = z
  .string()
  .regex(/^np[0-9a-z]{16,40}$/, 'must be a node pool id: "np" followed by 16-40 lowercase letters or digits')
  .describe('Node pool id, e.g. np1a2b3c… (list_nodepools shows them)');

export const regionArg = z
  .string()
  .regex(REGION_PATTERN, 'must be an Alibaba Cloud region id such as cn-hangzhou')
  .describe('Alibaba Cloud region id, e.g. cn-hangzhou; found automatically when omitted');

export const instanceIdArg = z.string().regex(/^i-[0-9a-z]{8,30}$/, 'must be an ECS instance id such as i-bp1abc…');

export function pageNumberArg() {
  return z.number().int().min(1).max(10_000).default(1).describe('Page number, from 1');
}

export function pageSizeArg(max: number, fallback: number) {
  return z.number().int().min(1).max(max).default(fallback).describe(`Items per page, 1-${max} (default ${fallback})`);
}
