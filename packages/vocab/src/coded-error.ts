/**
 * An error that carries a code from a closed set. Every package of the project throws its own subclass
 * (VocabError, ModelError, TrainerError, ...) with its own code union, and callers branch on `code`,
 * never on the message. The base lives here because every other package already depends on this one.
 */
export class CodedError<Code extends string> extends Error {
  constructor(
    readonly code: Code,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
