"""The public register (no login): the S&T database's front page, one page per
organisation, scientist, result, task and IP asset, and the field-of-science pages.

What the public sees: public records only (restricted and confidential ones answer 404,
exactly like a missing record); a person's personal data only with their consent
(NĐ 13/2023/NĐ-CP Đ11; `selectors.person_public_data`); tasks once approved (NĐ 11/2014
Đ9–10). Signed-in staff of the owning agency see restricted records on the same pages, with
a notice that the public does not.
"""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from khcn.core.permissions import can
from khcn.projects.models import Level, Project, ScienceField
from khcn.registry import page_selectors as ps
from khcn.registry import selectors
from khcn.registry.models import FieldOfScience, IPAsset, Organisation, Person, Result
from khcn.registry.permissions import can_read, visible

DESCRIPTION_CHARS = 200


def _meta(request, *, title: str, description: str, url_name: str, args=(), og_type="article"):
    """What the page's <head> says about it: title, description, canonical URL, Open Graph."""
    text = " ".join((description or "").split())
    return {
        "title": title,
        "description": Truncator(text).chars(DESCRIPTION_CHARS),
        "canonical": request.build_absolute_uri(reverse(url_name, args=args)),
        "og_type": og_type,
    }


def _readable(request, model, pk: int):
    """The record if the user may read it; a merged record sends to the one kept; else 404."""
    obj = model.objects.filter(pk=pk).select_related("agency").first()
    if obj is None:
        raise Http404(_("Không tìm thấy."))
    target = obj
    for _hop in range(10):  # a merged record points to the kept one (chains are short)
        if getattr(target, "merged_into_id", None) is None:
            break
        target = model.objects.get(pk=target.merged_into_id)
    if target is not obj and can_read(request.user, target):
        return None, target
    if not can_read(request.user, obj):
        raise Http404(_("Không tìm thấy."))
    return obj, None


def _staff_view(request, obj) -> bool:
    """The user sees this record with the agency's rights (restricted data, personal data)."""
    return bool(request.user.is_authenticated and can(request.user, "registry.manage", obj))


STAFF_PAGES = {
    Organisation: "registry-organisation",
    Person: "registry-person",
    Result: "registry-result",
    IPAsset: "registry-ip_asset",
}


def _staff_context(request, obj) -> dict:
    """For the agency's own people: a notice and a link to the record's staff page (which
    opens when the record belongs to the agency they are working in now)."""
    if not _staff_view(request, obj):
        return {"staff_view": False}
    agency = getattr(request, "agency", None)
    same = bool(agency) and agency.pk == obj.agency_id
    url = reverse(STAFF_PAGES[type(obj)], args=[obj.pk]) if same else ""
    return {"staff_view": True, "staff_url": url}


def register_home(request):
    """Front page: search box, counts by type, newest public results, fields of science."""
    user = request.user
    counts = selectors.register_counts(user=user)
    counts["tasks"] = ps.public_tasks().count()
    field_counts = ps.field_counts(user=user)
    tree = [
        (
            group,
            field_counts.get(group.code, 0),
            [(c, field_counts.get(c.code, 0)) for c in children],
        )
        for group, children in selectors.field_tree()
    ]
    meta = _meta(
        request,
        title=_("Cơ sở dữ liệu khoa học và công nghệ"),
        description=_(
            "Tra cứu tổ chức khoa học và công nghệ, nhà khoa học, nhiệm vụ, kết quả nghiên cứu "
            "và tài sản trí tuệ của địa phương; tìm bằng tiếng Việt có dấu hoặc không dấu."
        ),
        url_name="public-register",
        og_type="website",
    )
    return render(
        request,
        "registry/public/register.html",
        {
            "meta": meta,
            "counts": counts,
            "tree": tree,
            "recent": ps.recent_results(user=user),
            "recent_tasks": list(ps.public_tasks().order_by("-year", "-pk")[:6]),
        },
    )


def field_page(request, code: str):
    """One field of science: its public results (paginated) and the organisations working in it."""
    field = FieldOfScience.objects.filter(code=code).select_related("parent").first()
    if field is None:
        raise Http404(_("Không tìm thấy."))
    user = request.user
    results = (
        visible(user, Result.objects.filter(field__code__startswith=field.code))
        .select_related("field")
        .order_by("-year", "title", "pk")
    )
    page = Paginator(results, 20).get_page(request.GET.get("page"))
    page.querystring = ""
    orgs = (
        visible(user, Organisation.objects.active())
        .filter(fields__code__startswith=field.code)
        .distinct()
        .order_by("name_key")[:30]
    )
    meta = _meta(
        request,
        title=_("Lĩnh vực %(code)s. %(name)s") % {"code": field.code, "name": field.name},
        description=_(
            "Kết quả nghiên cứu và tổ chức khoa học và công nghệ thuộc lĩnh vực %(name)s."
        )
        % {"name": field.name},
        url_name="public-field",
        args=[field.code],
        og_type="website",
    )
    return render(
        request,
        "registry/public/field.html",
        {
            "meta": meta,
            "field": field,
            "children": list(field.children.order_by("code")),
            "page": page,
            "organisations": list(orgs),
        },
    )


def organisation_page(request, pk: int):
    org, moved = _readable(request, Organisation, pk)
    if moved:
        return redirect("public-organisation", moved.pk)
    user = request.user
    description = org.description or _(
        "%(kind)s%(where)s: thông tin, nhà khoa học, kết quả và nhiệm vụ khoa học và công nghệ."
    ) % {
        "kind": org.get_kind_display(),
        "where": (" " + _("tại %(p)s") % {"p": org.province_name}) if org.province_name else "",
    }
    return render(
        request,
        "registry/public/organisation.html",
        {
            "meta": _meta(
                request,
                title=org.name,
                description=description,
                url_name="public-organisation",
                args=[org.pk],
                og_type="profile",
            ),
            "org": org,
            "fields": list(org.fields.order_by("code")),
            "people": ps.organisation_people(org, user=user),
            "results": ps.organisation_results(org, user=user),
            "tasks": ps.organisation_tasks(org),
            "ip_assets": ps.organisation_ip_assets(org, user=user),
        }
        | _staff_context(request, org),
    )


def person_page(request, pk: int):
    person, moved = _readable(request, Person, pk)
    if moved:
        return redirect("public-person", moved.pk)
    user = request.user
    data = selectors.person_public_data(person, user=user)
    orgs = visible(user, Organisation.objects.active()).filter(
        pk__in=[o["id"] for o in data["organisations"]]
    )
    linkable = set(orgs.values_list("pk", flat=True))
    where = ", ".join(o["name"] for o in data["organisations"])
    description = _("%(name)s%(where)s. Lĩnh vực: %(fields)s. Chuyên môn: %(keywords)s") % {
        "name": data["display_name"],
        "where": f" – {where}" if where else "",
        "fields": "; ".join(data["fields"]) or "—",
        "keywords": data["keywords"] or "—",
    }
    return render(
        request,
        "registry/public/person.html",
        {
            "meta": _meta(
                request,
                title=data["display_name"],
                description=description,
                url_name="public-person",
                args=[person.pk],
                og_type="profile",
            ),
            "person": person,
            "data": data,
            "linkable": linkable,
            "expert_fields": list(person.expert_fields.order_by("code"))
            if person.is_expert
            else [],
            "results": ps.person_results(person, user=user),
        }
        | _staff_context(request, person),
    )


def result_page(request, pk: int):
    result, _moved = _readable(request, Result, pk)
    user = request.user
    project = result.project if result.project_id else None
    task_public = project is not None and ps.task_is_public(project)
    return render(
        request,
        "registry/public/result.html",
        {
            "meta": _meta(
                request,
                title=result.title,
                description=_("%(kind)s, năm %(year)s. %(abstract)s")
                % {
                    "kind": result.get_kind_display(),
                    "year": result.year,
                    "abstract": result.abstract,
                },
                url_name="public-result",
                args=[result.pk],
            ),
            "result": result,
            "authors": ps.result_authors(result, user=user),
            "organisations": ps.result_organisations(result, user=user),
            "project": project if task_public else None,
        }
        | _staff_context(request, result),
    )


def task_page(request, pk: int):
    """An S&T task's public fields: title, host, leader, years, budget, state, results."""
    project = (
        Project.objects.select_related("process__ruleset", "agency", "programme")
        .defer("process__ruleset__definition")
        .filter(pk=pk)
        .first()
    )
    if project is None:
        raise Http404(_("Không tìm thấy."))
    if not ps.task_is_public(project):
        if request.user.is_authenticated and can(request.user, "project.view", project):
            return redirect("project-detail", project.pk)
        raise Http404(_("Không tìm thấy."))
    user = request.user
    host = None
    if project.host_key:
        host = (
            visible(user, Organisation.objects.active())
            .filter(agency_id=project.agency_id, name_key=project.host_key)
            .first()
        )
    description = _(
        "%(kind)s %(level)s, năm %(year)s; chủ trì: %(host)s; chủ nhiệm: %(leader)s. %(obj)s"
    ) % {
        "kind": project.get_kind_display(),
        "level": project.get_level_display().lower(),
        "year": project.year,
        "host": project.host_org or "—",
        "leader": project.leader_name or "—",
        "obj": project.objectives,
    }
    return render(
        request,
        "registry/public/task.html",
        {
            "meta": _meta(
                request,
                title=project.title,
                description=description,
                url_name="public-task",
                args=[project.pk],
            ),
            "project": project,
            "state_label": project.process.public_state_label,
            "field_label": ScienceField(project.field).label
            if project.field in ScienceField.values
            else "",
            "level_label": Level(project.level).label if project.level in Level.values else "",
            "host": host,
            "results": ps.task_results(project, user=user),
            "ip_assets": list(visible(user, project.registry_ip_assets.all())),
        },
    )


def ip_asset_page(request, pk: int):
    asset, _moved = _readable(request, IPAsset, pk)
    user = request.user
    holder = asset.holder if asset.holder_id and can_read(user, asset.holder) else None
    project = asset.project if asset.project_id and ps.task_is_public(asset.project) else None
    description = asset.description or _(
        "%(kind)s «%(name)s»%(product)s. Tình trạng: %(status)s."
    ) % {
        "kind": asset.get_kind_display(),
        "name": asset.name,
        "product": f" – {asset.product}" if asset.product else "",
        "status": asset.get_status_display(),
    }
    return render(
        request,
        "registry/public/ip_asset.html",
        {
            "meta": _meta(
                request,
                title=asset.name,
                description=description,
                url_name="public-ip-asset",
                args=[asset.pk],
            ),
            "asset": asset,
            "holder": holder,
            "project": project,
        }
        | _staff_context(request, asset),
    )
