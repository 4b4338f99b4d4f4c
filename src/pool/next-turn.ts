/** Settles on the next turn of the event loop, after the messages and I/O already waiting. */
export const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
