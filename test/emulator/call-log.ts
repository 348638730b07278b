/** What the emulator saw: one entry per request, in arrival order. */
export interface CallRecord {
  seq: number;
  time: number;
  product: string;
  action: string;
  method: string;
  path: string;
  query: Record<string, string>;
  /** The AccessKey id that signed the request (empty when unsigned or unparseable). */
  accessKeyId: string;
  accountId?: string;
  status: number;
  errorCode?: string;
  fault?: string;
  /** The parsed JSON body, for products whose operations take one (Log Service CallAiTools). */
  body?: unknown;
  /** The `x-log-compresstype` of the answer, when the product compressed it. */
  encoding?: string;
}

export class CallLog {
  readonly records: CallRecord[] = [];

  add(record: Omit<CallRecord, 'seq'>): CallRecord {
    const entry = { ...record, seq: this.records.length + 1 };
    this.records.push(entry);
    return entry;
  }

  /** Records of one action (e.g. `ScaleClusterNodePool`), optionally only those that reached the operation. */
  of(action: string): CallRecord[] {
    return this.records.filter((record) => record.action === action);
  }

  clear(): void {
    this.records.length = 0;
  }
}
