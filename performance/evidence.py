"""What an evidence document may be: its size and its type, checked from its name *and* its bytes.

A document is accepted when its extension is one of ``ACCEPTED_EXTENSIONS`` and its content, sniffed with
``filetype`` (magic numbers, no trust in the browser's declared type), is of the same family: an ``.exe``
renamed ``.pdf`` is refused. CSV has no magic number: it is accepted when it reads as text.
"""

from dataclasses import dataclass

import filetype
from django.conf import settings

#: Each family of document we keep, with the extensions its name may end in and those its bytes may sniff as.
FAMILIES: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "PDF": (frozenset({"pdf"}), frozenset({"pdf"})),
    "Word document": (frozenset({"doc", "docx", "odt", "rtf"}), frozenset({"doc", "docx", "odt", "rtf"})),
    "spreadsheet": (frozenset({"xls", "xlsx", "ods", "csv"}), frozenset({"xls", "xlsx", "ods", "csv"})),
    "image": (frozenset({"jpg", "jpeg", "png", "gif"}), frozenset({"jpg", "png", "gif"})),
}
ACCEPTED_EXTENSIONS = frozenset().union(*(names for names, _ in FAMILIES.values()))
ACCEPTED_WORDS = (
    "a PDF, a Word document (.doc, .docx, .odt, .rtf), a spreadsheet (.xls, .xlsx, .ods, .csv) "
    "or an image (.jpg, .png, .gif)"
)
SNIFF_BYTES = 8192


def max_bytes() -> int:
    return settings.EVIDENCE_MAX_BYTES


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB"


@dataclass(frozen=True)
class Sniffed:
    extension: str
    content_type: str


def _sniff(upload) -> Sniffed | None:
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    kind = filetype.guess(head) if head else None
    if kind is None:
        # Only CSV may have no magic number: text without NUL bytes that decodes as UTF-8.
        sample = head[: SNIFF_BYTES - 4]
        if head and b"\x00" not in head:
            try:
                sample.decode("utf-8")
            except UnicodeDecodeError:
                return None
            return Sniffed("csv", "text/csv")
        return None
    if kind.extension == "zip":
        return None
    return Sniffed(kind.extension, kind.mime)


def evidence_file_errors(upload) -> tuple[list[str], Sniffed | None]:
    """The reasons ``upload`` is refused (empty when it is accepted), and its sniffed type."""
    name = upload.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if upload.size > max_bytes():
        return [
            f"The document is {_megabytes(upload.size)}: choose one of {_megabytes(max_bytes())} or smaller "
            f"({ACCEPTED_WORDS})."
        ], None
    if upload.size == 0:
        return [f"The document is empty: choose {ACCEPTED_WORDS}."], None
    if extension not in ACCEPTED_EXTENSIONS:
        return [f"A .{extension or '(no extension)'} file cannot be kept as evidence: choose {ACCEPTED_WORDS}."], None
    sniffed = _sniff(upload)
    family = next(label for label, (names, _) in FAMILIES.items() if extension in names)
    if sniffed is None or sniffed.extension not in FAMILIES[family][1]:
        found = f"a .{sniffed.extension} file" if sniffed else "not a document we accept"
        return [
            f"The document is named .{extension} but its content is {found}: choose {ACCEPTED_WORDS}, "
            "whose content matches its name."
        ], None
    return [], sniffed
