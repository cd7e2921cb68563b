"""Checks for uploaded files: size and real type (images decoded by Pillow, PDFs parsed by pypdf,
never trusted by name); files that are replaced are removed from storage once the change is
committed; the storage of files only some people may read."""

import io
import os
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

IMAGE_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP"}


def image_validate(upload, *, max_bytes: int) -> None:
    """Raise ValidationError unless `upload` is a JPEG, PNG or WebP image of at most `max_bytes`."""
    _size_check(upload, max_bytes)
    position = upload.tell()
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image_format = image.format
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError(_("This image has too many pixels."), code="too_many_pixels")
            image.verify()
        # verify() reads the structure, not the pixels: a truncated JPEG passes it and fails only
        # when decoded. Decode it now (verify() leaves the image unusable, so open it again).
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise ValidationError(_("This file is not an image we can read."), code="invalid_image") from exc
    finally:
        upload.seek(position)
    if image_format not in IMAGE_FORMATS:
        raise ValidationError(
            _("Use a JPEG, PNG or WebP image (this one is %(format)s).") % {"format": image_format},
            code="invalid_format",
        )


def pdf_validate(upload, *, max_bytes: int) -> int:
    """Raise ValidationError unless `upload` is a readable PDF of at most `max_bytes`, without a
    password or scripts; return its number of pages.

    The file must start with the PDF header: a reader would open an HTML or image file with a
    PDF after it (pypdf does, leniently), but a browser sniffing the first bytes would run it.
    """
    _size_check(upload, max_bytes)
    position = upload.tell()
    try:
        upload.seek(0)
        if upload.read(5) != b"%PDF-":
            raise ValidationError(_("This file is not a PDF."), code="not_pdf")
        upload.seek(0)
        reader = PdfReader(upload)
        if reader.is_encrypted:
            raise ValidationError(
                _("This PDF is protected by a password: reviewers could not open it."), code="encrypted"
            )
        pages = len(reader.pages)
        scripted = _runs_scripts(reader)
    except ValidationError:
        raise
    except (PyPdfError, OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        raise ValidationError(_("This PDF is damaged: we cannot read it."), code="invalid_pdf") from exc
    finally:
        upload.seek(position)
    if pages == 0:
        raise ValidationError(_("This PDF has no pages."), code="empty_pdf")
    if scripted:
        raise ValidationError(
            _("This PDF runs a script or a program: save it without scripts or actions."), code="scripted_pdf"
        )
    return pages


# Actions a reader may run on opening a page, clicking a link or filling a field.
RUNNING_ACTIONS = {"/JavaScript", "/Launch", "/ImportData", "/SubmitForm", "/Rendition", "/RichMediaExecute"}
MAX_OBJECTS = 200_000  # a PDF with more is refused rather than read for minutes


def pdf_without_metadata(handle) -> io.BytesIO:
    """A copy of a stored PDF without its document information and XMP metadata (author,
    title, the software and account that made it): what an anonymised reader is given."""
    writer = PdfWriter(clone_from=PdfReader(handle))
    handle.close()
    writer.metadata = None
    writer.root_object.pop("/Metadata", None)
    buffer = io.BytesIO()
    writer.write(buffer)
    buffer.seek(0)
    return buffer


def _runs_scripts(reader) -> bool:
    """Whether any object of the file is a script or an action that runs something: every object
    is read (those in object streams too), not only the catalogue, since a page's, a link's or
    a form field's action runs as well as the document's."""
    numbers = [(number, generation) for generation, table in reader.xref.items() for number in table]
    numbers += [(number, 0) for number in reader.xref_objStm]
    if len(numbers) > MAX_OBJECTS:
        raise ValidationError(_("This PDF is damaged: we cannot read it."), code="invalid_pdf")
    return any(_has_action(reader.get_object(IndirectObject(n, g, reader))) for n, g in numbers)


def _has_action(obj, depth=0) -> bool:
    if depth > 20:
        return False
    if isinstance(obj, DictionaryObject):
        if "/JS" in obj or obj.get("/S") in RUNNING_ACTIONS:
            return True
        # Direct children only: indirect ones are objects of their own, each read in turn.
        return any(_has_action(value, depth + 1) for value in obj.values() if not isinstance(value, IndirectObject))
    if isinstance(obj, ArrayObject):
        return any(_has_action(value, depth + 1) for value in obj if not isinstance(value, IndirectObject))
    return False


def _size_check(upload, max_bytes: int) -> None:
    if upload.size > max_bytes:
        raise ValidationError(
            _("This file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes)},
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError(_("This file is empty."), code="empty")


class PrivateStorage(FileSystemStorage):
    """Files under PRIVATE_ROOT, which no web server serves: they have no public address, and only
    a view that checks permission hands them out (calls.views.attachment_download)."""

    # Read at each use, not once: tests (and a deployment's settings) may move it.
    @property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("A private file has no public address; link to the view that serves it.")


_private = PrivateStorage()


def private_file_response(field_file, *, filename: str, content_type: str, transform=None):
    """A private file as its one way out: a download (never shown by the browser from our
    address), its type fixed, sandboxed, never cached; a 404 when storage has lost it.
    `transform` may replace the open file (a copy without metadata, say)."""
    from django.http import FileResponse, Http404

    try:
        handle = field_file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The file is gone from storage.") from exc
    if transform is not None:
        handle = transform(handle)
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


def private_storage() -> PrivateStorage:
    """For FileField(storage=...): a callable, so that migrations name it rather than a path."""
    return _private


MAX_PIXELS = 40_000_000  # larger images are refused before decoding, whatever their file size
MAX_SIDE = 2400  # what we keep: enough for a poster, far less than a phone's camera


def image_reencode(upload) -> ContentFile:
    """A fresh copy of an already validated image: rotated upright, resized, and without metadata.

    Re-encoding drops EXIF (GPS position, camera serial), XMP and anything appended to the file.
    """
    upload.seek(0)
    with Image.open(upload) as image:
        image_format = image.format
        image = ImageOps.exif_transpose(image)
        image.thumbnail((MAX_SIDE, MAX_SIDE))
        if image_format == "JPEG" and image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        buffer = io.BytesIO()
        options = {"quality": 85, "optimize": True} if image_format in ("JPEG", "WEBP") else {"optimize": True}
        image.save(buffer, format=image_format, **options)
    extension = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}[image_format]
    return ContentFile(buffer.getvalue(), name=f"{uuid.uuid4().hex}.{extension}")


def file_delete_on_commit(field_file) -> None:
    """Remove a stored file (a replaced logo or photo) once the transaction that replaced it
    commits: a rollback keeps the old file, which the row still names."""
    if not field_file:
        return
    storage, name = field_file.storage, field_file.name
    transaction.on_commit(lambda: storage.delete(name))


THUMBNAIL_WIDTHS = (320, 800)  # a card's thumbnail on any screen; the issue page on a laptop


def image_store(field, upload, *, widths=THUMBNAIL_WIDTHS) -> tuple[str, list[list]]:
    """Store a validated upload for an ImageField: re-encoded (image_reencode) under the field's
    upload_to, with its thumbnails. Returns the name to put in the field and the sizes to keep
    beside it (for Picture.of): the row is written once, with both."""
    content = image_reencode(upload)
    name = field.storage.save(field.generate_filename(None, content.name), content)
    return name, thumbnails_make(field.storage, name, widths=widths)


def thumbnails_make(storage, name: str, *, widths=THUMBNAIL_WIDTHS) -> list[list]:
    """Store WebP copies of a stored image at each of `widths` (never wider than the original), next
    to it, and return the sizes as [[name, width, height], ...], narrowest first, the original last.

    Made once, when the photo is stored, so that no page ever resizes.
    """
    stem = name.rsplit(".", 1)[0]
    with storage.open(name) as source, Image.open(source) as image:
        image.load()
        original = [name, image.width, image.height]
        sizes = []
        for width in sorted(set(widths)):
            if width >= image.width:
                break
            copy = image.copy()
            copy.thumbnail((width, round(width * image.height / image.width) or 1))
            if copy.mode not in ("RGB", "RGBA"):
                copy = copy.convert("RGBA" if "A" in copy.getbands() or "transparency" in copy.info else "RGB")
            buffer = io.BytesIO()
            copy.save(buffer, format="WEBP", quality=80, method=4)
            saved = storage.save(f"{stem}-{width}w.webp", ContentFile(buffer.getvalue()))
            sizes.append([saved, copy.width, copy.height])
    return [*sizes, original]


@dataclass(frozen=True)
class Picture:
    """An image and its thumbnails (thumbnails_make), for an <img> with srcset, width and height.

    `small` is the narrowest copy (a card), `large` the widest thumbnail (a page's main picture),
    `srcset` offers every copy so that the browser picks by screen width and pixel density.
    """

    sizes: tuple

    @classmethod
    def of(cls, sizes) -> "Picture | None":
        if not sizes:
            return None
        return cls(tuple(Size(default_storage.url(name), width, height) for name, width, height in sizes))

    @property
    def small(self) -> "Size":
        return self.sizes[0]

    @property
    def large(self) -> "Size":
        return self.sizes[-2] if len(self.sizes) > 1 else self.sizes[0]

    @property
    def original(self) -> "Size":
        return self.sizes[-1]

    @property
    def srcset(self) -> str:
        return ", ".join(f"{size.url} {size.width}w" for size in self.sizes)


@dataclass(frozen=True)
class Size:
    url: str
    width: int
    height: int


def check_private_root(app_configs=None, **kwargs) -> list:
    """PRIVATE_ROOT must not be under a folder a web server serves: MEDIA_ROOT or STATIC_ROOT."""
    from pathlib import Path

    from django.core import checks

    private = Path(settings.PRIVATE_ROOT).resolve()
    errors = []
    for name in ("MEDIA_ROOT", "STATIC_ROOT"):
        public = Path(getattr(settings, name)).resolve()
        if private == public or public in private.parents or private in public.parents:
            errors.append(
                checks.Error(
                    f"PRIVATE_ROOT ({private}) and {name} ({public}) overlap: its files would be served by address.",
                    hint="Give PRIVATE_ROOT a folder of its own, outside every folder the web server serves.",
                    id="civicnet.E010",
                )
            )
    return errors
