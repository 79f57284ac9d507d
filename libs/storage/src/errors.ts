/** A key that is not a safe relative object path. */
export class InvalidObjectKeyError extends Error {
  constructor(
    readonly key: string,
    reason: string,
  ) {
    super(`Invalid object key ${JSON.stringify(key)}: ${reason}`);
    this.name = 'InvalidObjectKeyError';
  }
}

export class ObjectNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`Object not found: ${key}`);
    this.name = 'ObjectNotFoundError';
  }
}

/** A body longer than the `maxBytes` the caller allowed; nothing was stored. */
export class ObjectTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`Object exceeds the limit of ${maxBytes} bytes`);
    this.name = 'ObjectTooLargeError';
  }
}

/** A byte range that is malformed or starts at or after the end of the object. */
export class InvalidRangeError extends Error {
  constructor(
    readonly key: string,
    readonly range: { start: number; end?: number },
  ) {
    super(`Unsatisfiable range ${range.start}-${range.end ?? ''} for object ${key}`);
    this.name = 'InvalidRangeError';
  }
}
