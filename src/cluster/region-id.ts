/** A region id such as cn-hangzhou. It becomes part of endpoint host names, so nothing else may pass. */
export const REGION_PATTERN = /^[a-z]{2,4}-[a-z0-9-]{2,30}$/;
