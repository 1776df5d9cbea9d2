"""Factories for agencies, users and roles, and helpers to build uploaded files."""

import struct
import zlib

import factory
from django.core.files.uploadedfile import SimpleUploadedFile

from khcn.accounts.models import Agency, Membership, Role, User
from khcn.core.demo import minimal_pdf

PASSWORD = "Mat-khau-dung-2025"


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"so{n}")
    name = factory.Sequence(lambda n: f"Sở Khoa học và Công nghệ số {n}")
    short_name = factory.Sequence(lambda n: f"Sở KH&CN {n}")
    kind = Agency.Kind.DEPARTMENT
    province = "Hải Phòng"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"nguoidung{n}")
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Đức {n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@khcn.test")
    password = factory.django.Password(PASSWORD)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    agency = factory.SubFactory(AgencyFactory)
    role = Role.STAFF


def user_with_role(role: str, agency: Agency, **fields) -> User:
    """A user holding `role` in `agency` (and nowhere else)."""
    user = UserFactory(**fields)
    MembershipFactory(user=user, agency=agency, role=role)
    user.forget_roles()
    return user


# --- uploads --------------------------------------------------------------------------------------


def png_bytes(width: int = 1, height: int = 1) -> bytes:
    """A valid, tiny PNG image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return (
            struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def pdf_bytes(text: str = "Bao cao") -> bytes:
    return minimal_pdf(text)


ELF_BYTES = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 100


def upload(
    name: str, content: bytes, content_type: str = "application/octet-stream"
) -> SimpleUploadedFile:
    """An uploaded file as a view or a service receives it. The content type a browser
    claims is deliberately irrelevant: the store looks at the bytes."""
    return SimpleUploadedFile(name, content, content_type=content_type)
