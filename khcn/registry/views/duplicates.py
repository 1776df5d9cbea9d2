"""Duplicates: the queue of likely duplicates, one pair side by side with merge (choose the
record to keep) or dismiss, and the merge history with "Hoàn tác" (undo).

A merge moves every reference to the kept record and hides the other; it is audited and
reversible (`services.organisation_merge`, `person_merge`, `merge_undo`).
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khcn.core.errors import DomainError
from khcn.core.permissions import get_visible
from khcn.registry import selectors, services
from khcn.registry.models import DuplicateFlag, Merge
from khcn.registry.views.common import staff_only
from khcn.registry.views.staff import detail_rows
from khcn.web.utils import paginate


def _flag(request, pk: int) -> DuplicateFlag:
    return get_visible(
        request.user,
        "registry.merge",
        DuplicateFlag.objects.filter(agency=request.registry_agency).select_related(
            "org_a", "org_b", "person_a", "person_b"
        ),
        pk=pk,
    )


def _links(kind: str, record) -> list[tuple[str, int]]:
    """What hangs on a record, so staff see which one carries more before choosing."""
    if kind == "organisation":
        return [
            (_("Nhà khoa học đang công tác"), record.affiliations.filter(end__isnull=True).count()),
            (_("Kết quả"), record.result_links.count()),
            (_("Tài sản trí tuệ"), record.ip_assets.count()),
        ]
    return [
        (_("Tổ chức công tác"), record.affiliations.count()),
        (_("Kết quả (tác giả)"), record.authorships.count()),
    ]


@staff_only
def queue(request):
    kind = request.GET.get("loai", "")
    kind = kind if kind in DuplicateFlag.Kind.values else ""
    flags = selectors.open_flags(agency=request.registry_agency, kind=kind)
    return render(
        request,
        "registry/staff/duplicates.html",
        {
            "page": paginate(request, flags, 30),
            "kind": kind,
            "kinds": DuplicateFlag.Kind.choices,
        },
    )


@staff_only
def flag_detail(request, pk: int):
    flag = _flag(request, pk)
    kind = flag.kind
    sides = []
    for key, record in (("a", flag.a), ("b", flag.b)):
        sides.append(
            {
                "key": key,
                "record": record,
                "rows": detail_rows(record, kind),
                "links": _links(kind, record),
                "merged": record.merged_into_id is not None,
            }
        )
    return render(
        request,
        "registry/staff/duplicate.html",
        {
            "flag": flag,
            "sides": sides,
            "kind": kind,
            "open": flag.status == DuplicateFlag.Status.OPEN,
        },
    )


@staff_only
@require_POST
def merge(request, pk: int):
    flag = _flag(request, pk)
    keep_key = request.POST.get("keep")
    if keep_key not in ("a", "b"):
        messages.error(request, _("Chọn bản ghi cần giữ lại."))
        return redirect("registry-duplicate", flag.pk)
    keep, remove = (flag.a, flag.b) if keep_key == "a" else (flag.b, flag.a)
    fn = services.organisation_merge if flag.kind == "organisation" else services.person_merge
    try:
        done = fn(actor=request.user, keep=keep, remove=remove, request=request)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("registry-duplicate", flag.pk)
    messages.success(
        request,
        _("Đã gộp «%(remove)s» vào «%(keep)s». Có thể hoàn tác trong Lịch sử gộp.")
        % {"remove": done.remove_repr, "keep": done.keep_repr},
    )
    return redirect(f"registry-{flag.kind}", keep.pk)


@staff_only
@require_POST
def dismiss(request, pk: int):
    flag = _flag(request, pk)
    try:
        services.duplicate_dismiss(
            actor=request.user, flag=flag, note=request.POST.get("note", ""), request=request
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("registry-duplicate", flag.pk)
    messages.success(request, _("Đã ghi nhận: hai bản ghi không trùng nhau."))
    return redirect("registry-duplicates")


@staff_only
def history(request):
    merges = selectors.merges(agency=request.registry_agency)
    return render(request, "registry/staff/merges.html", {"page": paginate(request, merges, 30)})


@staff_only
@require_POST
def undo(request, pk: int):
    done = Merge.objects.filter(agency=request.registry_agency, pk=pk).first()
    if done is None:
        raise Http404(_("Không tìm thấy."))
    try:
        services.merge_undo(actor=request.user, merge=done, request=request)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Đã hoàn tác: «%(remove)s» lại là bản ghi riêng.") % {"remove": done.remove_repr},
        )
    return redirect("registry-merges")
