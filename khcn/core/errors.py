"""The one error type services raise for a broken business rule.

Its message is written for a Vietnamese user; views show it as a form or page
error and the API answers it as `{"detail": message}` with `status`.
"""


class DomainError(Exception):
    status = 400

    def __init__(self, message: str, *, status: int | None = None, code: str = "") -> None:
        super().__init__(message)
        self.message = str(message)
        self.code = code
        if status is not None:
            self.status = status


class ConflictError(DomainError):
    status = 409
