"""Background jobs of the imports (django-tasks, run by `khcn db_worker`)."""

from django_tasks import task


@task()
def check_import(batch_id: int) -> str:
    """Check every row of an uploaded import file and store the preview report."""
    from khcn.registry.interop.imports import import_run_check

    batch = import_run_check(batch_id)
    return batch.status if batch else "skipped"


@task()
def write_import(batch_id: int) -> str:
    """Write a confirmed import batch, all rows in one transaction."""
    from khcn.registry.interop.imports import import_write

    batch = import_write(batch_id)
    return batch.status if batch else "skipped"
