"""A file the browser saves rather than shows: every download answers through `download`."""
from flask import Response

CSV = "text/csv; charset=utf-8"


def download(body, filename: str, mimetype: str = CSV) -> Response:
    """`body` saved as `filename` (quoted, so a name with a space or a comma arrives whole)."""
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"'})
