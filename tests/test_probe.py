import pytest
from django.core import mail
from khcn.notifications.services import notify
from khcn.notifications.models import Kind
from django_tasks_db.models import DBTaskResult

pytestmark = pytest.mark.django_db

def test_probe(staff_a, run_worker, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[staff_a], kind=Kind.SECURITY, title="x")
    assert DBTaskResult.objects.count() == 1
    run_worker()
    print(list(DBTaskResult.objects.values("status", "exception_class_path", "traceback")))
    assert len(mail.outbox) == 1
    from django.contrib.auth.models import AnonymousUser
    assert staff_a.username
