"""The audit trail is append-only and hash-chained: any edit or deletion is detected."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from khcn.audit.models import AuditAction, AuditChain, AuditEvent
from khcn.audit.services import record, verify
from khcn.core.errors import DomainError

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(staff_a, agency_a):
    """Four events by a real user, with before/after data."""
    return [
        record(actor=staff_a, action=AuditAction.LOGIN_SUCCEEDED, obj=staff_a, agency=agency_a),
        record(
            actor=staff_a,
            action=AuditAction.AGENCY_UPDATED,
            obj=agency_a,
            agency=agency_a,
            before={"phone": "0225 3842 755", "name": "Sở KH&CN"},
            after={"phone": "0225 3842 999", "name": "Sở Khoa học và Công nghệ"},
        ),
        record(actor=None, action=AuditAction.LOGIN_FAILED, agency=agency_a, after={"n": 1}),
        record(actor=staff_a, action=AuditAction.LOGOUT, obj=staff_a, agency=agency_a),
    ]


def test_record_chains_hashes(chain, staff_a, agency_a):
    assert [e.seq for e in chain] == [1, 2, 3, 4]
    assert chain[0].prev_hash == ""
    for previous, event in zip(chain, chain[1:], strict=False):
        assert event.prev_hash == previous.hash
    assert len({e.hash for e in chain}) == 4
    head = AuditChain.objects.get(pk=1)
    assert (head.last_seq, head.last_hash) == (4, chain[-1].hash)
    second = AuditEvent.objects.get(seq=2)
    assert second.actor == staff_a
    assert second.actor_name == staff_a.username
    assert second.agency == agency_a
    assert second.object_type == "accounts.agency"
    assert second.object_id == str(agency_a.pk)
    assert second.after == {"phone": "0225 3842 999", "name": "Sở Khoa học và Công nghệ"}


def test_verify_accepts_an_intact_chain(chain):
    result = verify()

    assert result.ok
    assert result.checked == 4
    assert result.first_bad_seq is None


def test_verify_accepts_an_empty_trail(db):
    assert verify().ok


def test_verify_walks_in_small_batches(chain):
    assert verify(batch_size=1).ok


def test_audit_verify_command_reports_intact_chain(chain, capsys):
    call_command("audit", "verify")

    assert "Nhật ký toàn vẹn: 4 sự kiện đã kiểm tra." in capsys.readouterr().out


def test_tampering_with_after_is_detected(chain):
    AuditEvent.objects.filter(seq=2).update(after={"phone": "0000", "name": "Sở giả"})

    result = verify()

    assert not result.ok
    assert (result.first_bad_seq, result.problem) == (2, "tampered")
    assert result.checked == 1


def test_tampering_through_raw_sql_is_detected(chain, staff_a):
    table = AuditEvent._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET actor_name = %s WHERE seq = %s", ["nguoi-khac", 3])

    result = verify()

    assert (result.ok, result.first_bad_seq, result.problem) == (False, 3, "tampered")


def test_rehashing_a_tampered_row_breaks_the_next_link(chain):
    from khcn.audit.services import _digest

    event = AuditEvent.objects.get(seq=2)
    event.after = {"phone": "0000"}
    AuditEvent.objects.filter(seq=2).update(after=event.after, hash=_digest(event))

    result = verify()

    assert (result.ok, result.first_bad_seq, result.problem) == (False, 3, "broken-link")


def test_audit_verify_command_fails_on_tampering(chain):
    AuditEvent.objects.filter(seq=2).update(after={"phone": "0000"})

    with pytest.raises(CommandError) as excinfo:
        call_command("audit", "verify")

    message = str(excinfo.value)
    assert "sự kiện số 2" in message
    assert "nội dung bị sửa" in message
    assert excinfo.value.returncode != 0


def test_deleting_a_middle_event_is_detected(chain):
    AuditEvent.objects.filter(seq=2).delete()

    result = verify()

    assert (result.ok, result.first_bad_seq, result.problem) == (False, 2, "missing")
    with pytest.raises(CommandError, match="thiếu sự kiện"):
        call_command("audit", "verify")


def test_deleting_the_last_event_is_detected_through_the_chain_head(chain):
    AuditEvent.objects.filter(seq=4).delete()

    result = verify()

    assert (result.ok, result.first_bad_seq, result.problem) == (False, 4, "missing")


def test_deleting_everything_is_detected(chain):
    AuditEvent.objects.all().delete()

    result = verify()

    assert (result.ok, result.first_bad_seq, result.problem) == (False, 1, "missing")


def test_event_is_part_of_the_callers_transaction(chain, staff_a):
    with pytest.raises(DomainError), transaction.atomic():
        record(actor=staff_a, action=AuditAction.USER_UPDATED, obj=staff_a, after={"x": 1})
        raise DomainError("Không hợp lệ")

    assert AuditEvent.objects.count() == 4
    assert AuditChain.objects.get(pk=1).last_seq == 4
    assert verify().ok
    # the next event takes the number the rolled-back one had
    assert record(actor=None, action=AuditAction.LOGIN_FAILED).seq == 5
    assert verify().ok


def test_saving_an_existing_event_is_refused(chain):
    event = AuditEvent.objects.get(seq=2)
    event.after = {"phone": "0000"}

    with pytest.raises(RuntimeError, match="append-only"):
        event.save()

    assert AuditEvent.objects.get(seq=2).after["phone"] == "0225 3842 999"


def test_deleting_an_event_is_refused(chain):
    event = AuditEvent.objects.get(seq=3)

    with pytest.raises(RuntimeError, match="append-only"):
        event.delete()

    assert AuditEvent.objects.filter(seq=3).exists()
    assert verify().ok


def test_changes_lists_only_differing_fields(chain):
    event = AuditEvent.objects.get(seq=2)

    assert sorted(event.changes()) == [
        ("name", "Sở KH&CN", "Sở Khoa học và Công nghệ"),
        ("phone", "0225 3842 755", "0225 3842 999"),
    ]
