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
