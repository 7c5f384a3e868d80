"""The app as the web benchmark serves it: the real app plus /bench/minimal, the yardstick.

/bench/minimal goes through the same app, middleware and gunicorn as every page (security headers,
request id, session) but does no work of its own: a page's throughput divided by its throughput is
how much of the framework's ceiling the page reaches. It exists only in this module, never in the app.
"""
from workshop import create_app

app = create_app()


@app.route("/bench/minimal")
def bench_minimal():
    return "ok"
