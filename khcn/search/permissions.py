"""Who sees which search results; one answer for the selector, the page and the API.

Anonymous callers and outside users (hosts, experts, enterprises, the public) see
public records only. The department's own people (staff, leader, admin: INTERNAL_ROLES)
also see their agency's restricted records, and leaders and administrators its
confidential ones (Luật Bảo vệ bí mật nhà nước 2018; NĐ 11/2014 Đ5 on S&T information
that is not published). A record with no agency (national) that is restricted is seen
by internal staff of any agency; a national confidential one only by superusers.
"""

from dataclasses import dataclass

from khcn.accounts.models import INTERNAL_ROLES, Role

CONFIDENTIAL_ROLES = frozenset({Role.LEADER, Role.ADMIN})


@dataclass(frozen=True)
class Visibility:
    everything: bool = False
    restricted: frozenset[int | None] = frozenset()  # agency ids (None: national records)
    confidential: frozenset[int | None] = frozenset()

    def allows(self, access: str, agency_id: int | None) -> bool:
        if self.everything or access == "public":
            return True
        if access == "restricted":
            return agency_id in self.restricted
        if access == "confidential":
            return agency_id in self.confidential
        return False


PUBLIC_ONLY = Visibility()


def search_visibility(user) -> Visibility:
    """The access levels and agencies whose records `user` may find."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return PUBLIC_ONLY
    if user.is_superuser:
        return Visibility(everything=True)
    held = user.roles_by_agency()
    restricted = {aid for aid, roles in held.items() if roles & INTERNAL_ROLES}
    confidential = {aid for aid, roles in held.items() if roles & CONFIDENTIAL_ROLES}
    if restricted:
        restricted.add(None)
    return Visibility(restricted=frozenset(restricted), confidential=frozenset(confidential))
