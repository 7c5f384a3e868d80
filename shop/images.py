"""Pictures people upload (logos, proofs, catalogue photos): checked by their content, re-encoded,
stored outside `static/` and sent only by a view that has checked who may see them.

Only PNG and JPEG are taken, at most `MAX_UPLOAD_BYTES` and `MAX_PIXELS`. Pillow opens the bytes
(the file name and the browser's content type are ignored), refuses a decompression bomb, and
writes a fresh file from the pixels, so metadata (GPS position, camera, comments) and anything
hidden after the image is dropped. The stored name is random; the uploader's name is kept apart.
"""
import io
import secrets
import warnings
from dataclasses import dataclass
from pathlib import Path

from flask import current_app, send_file
from werkzeug.exceptions import NotFound
from flask_babel import lazy_gettext as _l
from PIL import Image, UnidentifiedImageError

from workshop.errors import DomainError

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
#: 40 megapixels: any real logo or photo, far below what a decompression bomb unpacks to.
MAX_PIXELS = 40_000_000
_FORMATS = {"PNG": ("png", "image/png"), "JPEG": ("jpg", "image/jpeg")}
_FOLDERS = ("logos", "proofs", "catalogue")


@dataclass(frozen=True)
class StoredImage:
    #: "<folder>/<random>.<png|jpg>", relative to the uploads folder.
    name: str
    width: int
    height: int


def uploads_root() -> Path:
    """Where uploads live: the instance folder, never under `static/`."""
    return Path(current_app.instance_path) / "uploads"


def _refuse(message) -> DomainError:
    return DomainError(message, field="image")


def read_upload(stream, limit: int = MAX_UPLOAD_BYTES) -> bytes:
    """The uploaded bytes, refused when there are none or more than `limit`."""
    data = stream.read(limit + 1)
    if not data:
        raise _refuse(_l("Choose a picture to upload."))
    if len(data) > limit:
        raise _refuse(_l("The picture is too big. It may be at most 5 MB."))
    return data


def _open(data: bytes) -> Image.Image:
    """Pillow's image from the bytes, refusing what is not a sane PNG or JPEG."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
            if image.format not in _FORMATS:
                raise _refuse(_l("Only PNG and JPEG pictures can be used."))
            if image.width * image.height > MAX_PIXELS:
                raise _refuse(_l("The picture has too many pixels. Make it smaller and try again."))
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _refuse(_l("The picture has too many pixels. Make it smaller and try again.")) from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            raise _refuse(_l("This file is not a picture we can read. Use PNG or JPEG.")) from None
    return image


def _reencoded(image: Image.Image) -> tuple[bytes, str]:
    """The pixels written afresh (no metadata) and the file extension."""
    extension, _mime = _FORMATS[image.format]
    out = io.BytesIO()
    if extension == "png":
        keep = image.mode if image.mode in ("RGB", "RGBA", "L", "LA", "P") else "RGBA"
        image.convert(keep).save(out, "PNG", optimize=True)
    else:
        image.convert("RGB").save(out, "JPEG", quality=88)
    return out.getvalue(), extension


def store_image(stream, folder: str) -> StoredImage:
    """Check, re-encode and store an uploaded picture in `folder` (logos, proofs, catalogue)."""
    if folder not in _FOLDERS:
        raise ValueError(folder)
    image = _open(read_upload(stream))
    data, extension = _reencoded(image)
    name = f"{folder}/{secrets.token_urlsafe(18)}.{extension}"
    path = uploads_root() / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return StoredImage(name, image.width, image.height)


def delete_image(name: str) -> None:
    """Remove a stored picture (when the record that named it is rolled back or replaced)."""
    if name:
        (uploads_root() / name).unlink(missing_ok=True)


def send_image(name: str):
    """The response for a stored picture; the caller has already checked that this user may see it."""
    path = (uploads_root() / name).resolve()
    if not name or uploads_root().resolve() not in path.parents or not path.is_file():
        raise NotFound()
    mimetype = "image/png" if path.suffix == ".png" else "image/jpeg"
    response = send_file(path, mimetype=mimetype, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
