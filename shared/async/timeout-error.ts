/** The rejection of `withTimeout` when its time runs out; the operation's own failures pass through as they are. */
export class TimeoutError extends Error {
  constructor(
    message: string,
    /** The bound that ran out, in milliseconds. */
    readonly ms: number,
  ) {
    super(message);
    this.name = 'TimeoutError';
  }
}
