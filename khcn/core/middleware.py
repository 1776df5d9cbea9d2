from django.conf import settings
from django.db import connection


class QueryCountMiddleware:
    """With KHCN_QUERY_COUNT_HEADER on, report the number of SQL queries in `X-DB-Queries`."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.enabled = settings.KHCN_QUERY_COUNT_HEADER

    def __call__(self, request):
        if not self.enabled:
            return self.get_response(request)
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        response["X-DB-Queries"] = str(count)
        return response
