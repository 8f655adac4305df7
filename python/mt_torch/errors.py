"""One error type for bad input: the launcher prints its message as one line, never a stack trace."""


class MtTorchError(Exception):
    """Bad input (file, flag or value), named in the message."""
