"""QR codes drawn locally as SVG (the qrcode package; no service is called)."""

import io

import qrcode
from qrcode.image.svg import SvgPathImage


def qr_svg(data: str) -> bytes:
    image = qrcode.make(data, image_factory=SvgPathImage, box_size=10, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue()
