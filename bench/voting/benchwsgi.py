"""congress.wsgi:application, telling the bench what each request did with the participation.

An accepted vote and a refused second tap both answer with a redirect to .../received/; the
bench wants to know, per request, which one inserted the participation, and which refusals
were the database's (the second insert hit the unique constraint) rather than the view's early
has_voted check. This wrapper watches the statements of each request (one execute wrapper: a
function call per statement, nothing else of the request path changes) and answers with
``X-Bench-Cast: inserted`` or ``X-Bench-Cast: refused``. Served only with run.py --mark;
by default the bench serves congress.wsgi:application untouched.
"""

import threading

from django.db import IntegrityError, connection

from congress.wsgi import application as django_application  # sets Django up

_request = threading.local()
INSERT = 'INSERT INTO "congress_participation"'


def _watch(execute, sql, params, many, context):
    if not sql.startswith(INSERT):
        return execute(sql, params, many, context)
    try:
        result = execute(sql, params, many, context)
    except IntegrityError:
        _request.cast = "refused"
        raise
    _request.cast = "inserted"
    return result


def application(environ, start_response):
    _request.cast = None

    def marking_start_response(status, headers, exc_info=None):
        if _request.cast:
            headers = [*headers, ("X-Bench-Cast", _request.cast)]
        return start_response(status, headers, exc_info)

    with connection.execute_wrapper(_watch):
        return django_application(environ, marking_start_response)
