"""The main menu: each entry shows only to users whose roles allow its action."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from khcn.core.permissions import can


@dataclass(frozen=True)
class MenuEntry:
    label: str
    url_name: str
    icon: str
    action: str | None  # permission action (object None = "anywhere"); None = everyone


MENU = [
    MenuEntry(_("Việc của tôi"), "home", "house", None),
    MenuEntry(_("Nhiệm vụ KH&CN"), "project-list", "clipboard2-data", "project.view"),
    MenuEntry(_("Đợt tuyển chọn"), "call-list", "megaphone", None),
    MenuEntry(_("Hội đồng"), "council-list", "easel2", "council.view"),
    MenuEntry(_("Cơ sở dữ liệu KH&CN"), "registry-home", "database", "registry.manage"),
    MenuEntry(_("Hồ sơ TTHC"), "dossier-list", "inboxes", "dossier.statistics"),
    MenuEntry(_("Thủ tục hành chính"), "procedure-catalogue", "card-checklist", "dossier.file"),
    MenuEntry(_("Hồ sơ của tôi"), "dossier-mine", "folder2-open", "dossier.file"),
    MenuEntry(_("Hồ sơ xử lý"), "process-list", "kanban", "workflow.view"),
    MenuEntry(_("Quy trình"), "ruleset-list", "diagram-3", "ruleset.view"),
    MenuEntry(_("Tài liệu"), "attachment-list", "folder2-open", "attachment.view"),
    MenuEntry(_("Lịch làm việc"), "calendar-year", "calendar3", "calendar.view"),
    MenuEntry(_("Nhật ký"), "audit-list", "journal-text", "audit.view"),
    MenuEntry(_("Người dùng"), "user-list", "people", "user.manage"),
    MenuEntry(
        _("Mẫu văn bản"),
        "document-template-list",
        "file-earmark-word",
        "documents.manage_templates",
    ),
    MenuEntry(_("Cơ quan"), "agency-list", "building", "agency.view"),
]


# What anyone may open without an account: the public register, search, the procedure
# catalogue and the dossier status lookup (shown in the header to visitors, in the footer to all).
PUBLIC_MENU = [
    MenuEntry(_("Tìm kiếm"), "search", "search", None),
    MenuEntry(_("Cơ sở dữ liệu KH&CN"), "public-register", "database", None),
    MenuEntry(_("Thủ tục hành chính"), "procedure-catalogue", "journal-check", None),
    MenuEntry(_("Tra cứu hồ sơ"), "dossier-lookup", "upc-scan", None),
    MenuEntry(_("Doanh nghiệp KH&CN"), "certificate-register", "patch-check", None),
]


def public_menu_for(request) -> list[dict]:
    path = request.path
    return [
        {
            "label": e.label,
            "url": (url := reverse(e.url_name)),
            "icon": e.icon,
            "active": path.startswith(url),
        }
        for e in PUBLIC_MENU
    ]


def menu_for(user, request) -> list[dict]:
    path = request.path
    entries = []
    for entry in MENU:
        if entry.action and not can(user, entry.action):
            continue
        url = reverse(entry.url_name)
        active = path == url if url == "/" else path.startswith(url)
        entries.append({"label": entry.label, "url": url, "icon": entry.icon, "active": active})
    return entries
