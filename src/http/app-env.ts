/** Per-request state kept on Hono's context. */
export interface AppEnv {
  Variables: {
    caller: { tokenName: string; readOnly: boolean };
    rejection: string;
    /** Fields added to this request's log line by later stages. */
    logFields: Record<string, unknown>;
  };
}
