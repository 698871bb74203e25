/** What {@link toErrorReply} quotes of the gateway's configuration, so a client learns the limit it hit. */
export interface ErrorReplyContext {
  /** The gateway's request body limit in bytes (`HUSH_GATEWAY_BODY_LIMIT`), named in 413 answers. */
  bodyLimit: number;
}
