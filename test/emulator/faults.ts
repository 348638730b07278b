/**
 * Fault injection. A fault matches an action (or every action of a product), fires a bounded
 * number of times, and is one of:
 *
 * Before the operation (nothing changes):
 * - `throttle`: `Throttling.User` (HTTP 400), with `x-acs-retry-after` when `retryAfterMs` is set;
 * - `server-error` / `service-unavailable`: HTTP 500 `InternalError` / 503 `ServiceUnavailable`;
 * - `html-502`: a gateway's HTML "502 Bad Gateway" page instead of an Alibaba Cloud answer;
 * - `codeless-400`: HTTP 400 whose JSON body has a message but no error code;
 * - `server-busy`: Log Service's 503 `ServerBusy` (`throttle` there is its 403 `ReadQuotaExceed` /
 *   `MetaOperationQpsLimitExceeded`);
 * - `success-false-200`: CloudMonitor's HTTP 200 whose body says `Success: false` with a `Code`.
 *
 * After the operation (it was applied, but the caller cannot tell):
 * - `empty-504`: a gateway gave up waiting and answers 504 with an empty body;
 * - `garbled-200`: HTTP 200 whose JSON body is cut off;
 * - `wrong-shape-200`: HTTP 200 whose JSON is not the operation's documented shape;
 * - `slow`: the answer is held back `delayMs` (a client timeout then leaves the caller not
 *   knowing the outcome).
 */
export type FaultKind =
  | 'throttle'
  | 'server-error'
  | 'service-unavailable'
  | 'html-502'
  | 'codeless-400'
  | 'empty-504'
  | 'garbled-200'
  | 'wrong-shape-200'
  | 'slow'
  | 'partial'
  | 'server-busy'
  | 'success-false-200';

/** The kinds that answer before the operation runs; the others answer after it ran. */
export const FAULTS_BEFORE_OPERATION: ReadonlySet<FaultKind> = new Set([
  'throttle',
  'server-error',
  'service-unavailable',
  'html-502',
  'codeless-400',
  'server-busy',
  'success-false-200',
]);

export interface FaultSpec {
  kind: FaultKind;
  /** Action name such as `DescribeClusterNodePools`; omitted means every action of `product`. */
  action?: string;
  product?: string;
  /** How many matching requests it affects (default 1). */
  times?: number;
  delayMs?: number;
  /** `throttle` only: the `x-acs-retry-after` header (milliseconds) of the answer. */
  retryAfterMs?: number;
}

interface ActiveFault extends FaultSpec {
  remaining: number;
}

export class FaultInjector {
  private readonly active: ActiveFault[] = [];

  inject(spec: FaultSpec): void {
    this.active.push({ ...spec, remaining: spec.times ?? 1 });
  }

  /** Takes the first fault matching this request, consuming one of its uses. */
  take(product: string, action: string): FaultSpec | undefined {
    const index = this.active.findIndex(
      (fault) => (!fault.product || fault.product === product) && (!fault.action || fault.action === action),
    );
    if (index < 0) return undefined;
    const fault = this.active[index]!;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.active.splice(index, 1);
    return fault;
  }

  clear(): void {
    this.active.length = 0;
  }
}
