"""The REST API at /api/v1/: bearer tokens or the browser session, JSON errors.

Every error answers `{"detail": "..."}`: 400 bad request, 401 not logged in,
403 visible but not allowed, 404 missing or out of reach, 409 conflict, 422
invalid input (with the field errors in `errors`).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import APIKeyCookie, HttpBearer

from khcn.accounts.services import token_authenticate
from khcn.core.errors import DomainError
from khcn.workflow.fields import FieldErrors


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        user = token_authenticate(token)
        if user is not None:
            request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """The logged-in browser session (CSRF-checked for writes)."""

    param_name = "sessionid"

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        return user if user is not None and user.is_authenticated else None


api = NinjaAPI(
    title="KHCN API",
    version="1",
    description="API của hệ thống thông tin Sở Khoa học và Công nghệ.",
    auth=[BearerToken(), SessionAuth(csrf=True)],
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


@api.exception_handler(FieldErrors)
def field_errors(request, exc: FieldErrors):
    errors = [{"field": name, "message": message} for name, message in exc.errors.items()]
    return api.create_response(request, {"detail": exc.message, "errors": errors}, status=422)


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    return api.create_response(request, {"detail": exc.message}, status=exc.status)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": _("Không tìm thấy.")}, status=404)


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    return api.create_response(
        request, {"detail": str(exc) or _("Bạn không có quyền.")}, status=403
    )


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    response = api.create_response(
        request,
        {"detail": _("Cần đăng nhập hoặc mã truy cập hợp lệ (Authorization: Bearer …).")},
        status=401,
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(ValidationError)
def invalid(request, exc: ValidationError):
    errors = [
        {
            "field": ".".join(str(p) for p in e.get("loc", [])[1:]) or None,
            "message": e.get("msg", ""),
        }
        for e in exc.errors
    ]
    return api.create_response(
        request, {"detail": _("Dữ liệu không hợp lệ."), "errors": errors}, status=422
    )


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


def _register_routers() -> None:
    from khcn.accounts.api import router as accounts_router
    from khcn.audit.api import router as audit_router
    from khcn.core.api import router as files_router
    from khcn.core.calendar_api import router as calendar_router
    from khcn.councils.api import router as councils_router
    from khcn.notifications.api import router as notifications_router
    from khcn.procedures.api import router as procedures_router
    from khcn.projects.api import router as projects_router
    from khcn.registry.api import router as registry_router
    from khcn.registry.interop.api import router as interop_router
    from khcn.search.api import router as search_router
    from khcn.workflow.api import router as workflow_router

    api.add_router("", accounts_router)
    api.add_router("/audit", audit_router)
    api.add_router("/attachments", files_router)
    api.add_router("/calendar", calendar_router)
    api.add_router("/councils", councils_router)
    api.add_router("/notifications", notifications_router)
    api.add_router("/workflow", workflow_router)
    api.add_router("", projects_router)
    api.add_router("", search_router)
    api.add_router("", registry_router)
    api.add_router("", interop_router)
    api.add_router("", procedures_router)


_register_routers()
