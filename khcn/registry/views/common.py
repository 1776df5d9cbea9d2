"""What the staff pages share: who may enter, the record kinds, service errors on forms."""

from dataclasses import dataclass
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from khcn.core.errors import DomainError
from khcn.registry import forms as f
from khcn.registry.models import IPAsset, Organisation, Person, Result
from khcn.registry.permissions import MANAGERS
from khcn.workflow.fields import FieldErrors


@dataclass(frozen=True)
class Kind:
    key: str  # "organisation" (URL names registry-organisation-…, interop filter kind)
    slug: str  # Vietnamese path part
    model: type
    label: str
    plural: str
    icon: str
    form: type
    public_url: str


KINDS = {
    "organisation": Kind(
        "organisation",
        "to-chuc",
        Organisation,
        gettext_lazy("Tổ chức"),
        gettext_lazy("Tổ chức KH&CN"),
        "building",
        f.OrganisationForm,
        "public-organisation",
    ),
    "person": Kind(
        "person",
        "nha-khoa-hoc",
        Person,
        gettext_lazy("Nhà khoa học"),
        gettext_lazy("Nhà khoa học, chuyên gia"),
        "person",
        f.PersonForm,
        "public-person",
    ),
    "result": Kind(
        "result",
        "ket-qua",
        Result,
        gettext_lazy("Kết quả KH&CN"),
        gettext_lazy("Kết quả KH&CN"),
        "journal-text",
        f.ResultForm,
        "public-result",
    ),
    "ip_asset": Kind(
        "ip_asset",
        "tai-san-tri-tue",
        IPAsset,
        gettext_lazy("Tài sản trí tuệ"),
        gettext_lazy("Tài sản trí tuệ"),
        "award",
        f.IPAssetForm,
        "public-ip-asset",
    ),
}


def staff_agency(request):
    """The agency whose database the user manages now, or 404 for anyone else."""
    agency = getattr(request, "agency", None)
    agency = agency if agency else None
    user = request.user
    if agency is None or not (
        user.is_superuser or user.roles_by_agency().get(agency.pk, frozenset()) & MANAGERS
    ):
        raise Http404(_("Không tìm thấy."))
    return agency


def staff_only(view):
    """Signed-in department staff (staff, leader, admin of the current agency); others 404."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        request.registry_agency = staff_agency(request)
        return view(request, *args, **kwargs)

    return wrapped


def attempt(request, form, fn, success: str | None = None, field_map: dict | None = None):
    """Run a service; its refusals become the form's errors. Returns its result, or None."""
    field_map = field_map or {}
    try:
        value = fn()
    except FieldErrors as exc:
        for name, message in exc.errors.items():
            name = field_map.get(name, name)
            form.add_error(name if name in form.fields else None, message)
    except PermissionDenied as exc:
        form.add_error(
            "access" if "access" in form.fields else None,
            str(exc) or _("Bạn không có quyền thực hiện việc này."),
        )
    except DomainError as exc:
        form.add_error(None, exc.message)
    else:
        if success:
            messages.success(request, success)
        return value
    return None
