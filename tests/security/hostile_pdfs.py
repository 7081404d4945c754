"""Hand-made hostile PDFs (issue 16, item 2): active content hidden from a byte search (hex-escaped names,
compressed object streams), a polyglot, XFA, embedded files, and the EICAR test virus.

Each file is otherwise a valid one-page PDF that pypdf reads, so only the active-content check (or the
header check, or the antivirus) can refuse it."""

from __future__ import annotations

import io
import struct
import zlib

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"

CONTENT = b"BT /F1 12 Tf 72 720 Td (Piece) Tj ET"
PAGE_OBJECTS = [
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    b"<< /Length %d >>\nstream\n" % len(CONTENT) + CONTENT + b"\nendstream",
    b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
]


def classic_pdf(catalog_extra: bytes = b"", extra_objects: list[bytes] = (), *, comment: bytes = b"") -> bytes:
    """Catalog (1), pages (2-5), then ``extra_objects`` numbered from 6; a classic xref table."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b" >>", *PAGE_OBJECTS, *extra_objects]
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n" + (b"%" + comment + b"\n" if comment else b""))
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def object_stream_pdf(catalog_extra: bytes) -> bytes:
    """The catalog (with ``catalog_extra``) lives in a Flate-compressed object stream (6) indexed by a
    cross-reference stream (7): the raw file never shows its names."""
    catalog = b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b" >>"
    header = b"1 0 "
    packed = zlib.compress(header + catalog)
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = {}
    for number, body in enumerate(PAGE_OBJECTS, start=2):
        offsets[number] = out.tell()
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    offsets[6] = out.tell()
    out.write(
        b"6 0 obj\n<< /Type /ObjStm /N 1 /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
        % (len(header), len(packed))
        + packed
        + b"\nendstream\nendobj\n"
    )
    offsets[7] = out.tell()
    rows = [struct.pack(">BIH", 0, 0, 65535), struct.pack(">BIH", 2, 6, 0)]
    rows += [struct.pack(">BIH", 1, offsets[n], 0) for n in range(2, 8)]
    xref = zlib.compress(b"".join(rows))
    out.write(
        b"7 0 obj\n<< /Type /XRef /Size 8 /W [1 4 2] /Root 1 0 R /Filter /FlateDecode /Length %d >>\nstream\n"
        % len(xref)
        + xref
        + b"\nendstream\nendobj\n"
    )
    out.write(b"startxref\n%d\n%%%%EOF\n" % offsets[7])
    return out.getvalue()


def hex_escaped_javascript() -> bytes:
    return classic_pdf(b"/OpenActio#6e << /S /J#61vaScript /J#53 (app.alert(1);) >>")


def hex_escaped_launch() -> bytes:
    """A link annotation whose action launches a program, every name hex-escaped."""
    page_with_annot = PAGE_OBJECTS[1].replace(b" >> >>", b" >> /Annots [6 0 R] >>")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        PAGE_OBJECTS[0],
        page_with_annot,
        *PAGE_OBJECTS[2:],
        b"<< /Type /Annot /Subtype /Link /Rect [0 0 100 100] /A << /S /L#61unch /F (cmd.exe) >> >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def javascript_in_object_stream() -> bytes:
    return object_stream_pdf(b"/OpenAction << /S /JavaScript /JS (app.alert(1);) >>")


def launch_in_object_stream() -> bytes:
    return object_stream_pdf(b"/AA << /WC << /S /Launch /F (cmd.exe) >> >>")


def embedded_file() -> bytes:
    file_stream = b"<< /Type /EmbeddedFile /Length 4 >>\nstream\nMZ\x90\x00\nendstream"
    return classic_pdf(
        b"/Names << /Emb#65ddedFiles << /Names [(a.exe) << /Type /Filespec /F (a.exe) /EF << /F 6 0 R >> >>] >> >>",
        [file_stream],
    )


def xfa_form() -> bytes:
    xfa = b"<xdp:xdp xmlns:xdp='http://ns.adobe.com/xdp/'/>"
    return classic_pdf(
        b"/AcroForm << /Fields [] /XFA 6 0 R >>", [b"<< /Length %d >>\nstream\n" % len(xfa) + xfa + b"\nendstream"]
    )


def html_polyglot() -> bytes:
    """An HTML page followed by a PDF within the first kilobyte: PDF readers open it, browsers run it."""
    return b"<html><body><script>alert(document.domain)</script></body></html>\n" + classic_pdf()


def pdf_with_eicar() -> bytes:
    """A valid PDF that carries the EICAR test string in a comment: found by ClamAV, not by the parser."""
    return classic_pdf(comment=EICAR)


def clean_with_links() -> bytes:
    """An ordinary document: an internal link and a web link (accepted)."""
    return classic_pdf(b"/Outlines << /Count 0 >> /URI << /Base (https://sante.gouv.fr/) >>")
