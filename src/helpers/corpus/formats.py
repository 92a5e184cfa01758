"""What is read, and how: the formats (:data:`FORMATS`, :data:`EXTENSIONS`,
:func:`detect_format`), the decision to skip a file by its name or its first bytes before it
is read (:func:`skip_by_name`, :func:`skip_by_head`), and :func:`parse_blob`, which decodes
one file's bytes and dispatches them to the parser of its format: the seed ``.txt`` layout
here, TREC (:mod:`.trec`), JSON, JSON Lines, CSV/TSV and Parquet (:mod:`.records`), HTML
pages and RSS/Atom feeds (:mod:`.web`), Excel (:mod:`.sheets`). Runs in worker processes
(:func:`parse_batch`); never raises for bad input: it skips and reports.
"""

from __future__ import annotations

import re

from .. import resources as R
from .decoding import binary_reason, bom_less_utf16, decode_bytes
from .parser import Parser, describe_error, newlines
from .records import parse_csv, parse_json, parse_jsonl, parse_parquet
from .schema import (
    IGNORED, Options, Result, Skipped, basename, inner_name, is_archive_name, stem, suffix,
)
from .sheets import SHEET_FORMATS, parse_workbook
from .trec import parse_trec
from .web import WEB_FORMATS, declared_charset, markup_format, parse_feed, parse_html

FORMATS = ("txt", "trec", "json", "jsonl", "csv", "tsv", "parquet", "html", "rss", "atom",
           "xlsx", "xls")
EXTENSIONS = {
    "": "text", ".txt": "text", ".text": "text", ".xml": "trec", ".sgml": "trec",
    ".sgm": "trec", ".trec": "trec",
    ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".jsonlines": "jsonl",
    ".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".parquet": "parquet", ".pq": "parquet",
    ".html": "html", ".htm": "html", ".xhtml": "html", ".shtml": "html",
    ".rss": "rss", ".atom": "atom", ".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xls",
}


def detect_format(path: str, fmt: str | None) -> str | None:
    """The format of ``path``: ``fmt`` when given, else told by the extension of the name
    inside any compression suffix (``"text"`` for seed or TREC, decided by the content);
    None for an extension not in :data:`EXTENSIONS`.

    ``detect_format("أخبار/خبر.json.gz", None)`` -> ``"json"``
    """
    if fmt:
        return fmt
    return EXTENSIONS.get(suffix(inner_name(basename(path))).lower())   # a.json.gz: json


# ---------------------------------------------------------------------------------------
# what is read at all: decided from the name, then from the first bytes, before the rest
# of a file is read (sources.py asks; parse_blob gives the same answers)
# ---------------------------------------------------------------------------------------

#: Bytes of a file read before deciding to read the rest: the sample that
#: :func:`binary_reason` examines (so a file gets the answer its whole content would get);
#: :func:`markup_format` needs less.
HEAD_BYTES = 65_536

#: Types that are never articles: skipped by name, never opened.
NOT_ARTICLE_SUFFIXES = frozenset({
    # images
    ".jpg", ".jpeg", ".png", ".gif", ".bmp", ".tif", ".tiff", ".webp", ".heic", ".ico",
    ".svg", ".psd", ".raw",
    # audio and video
    ".mp3", ".wav", ".ogg", ".oga", ".flac", ".m4a", ".aac", ".wma", ".mp4", ".m4v", ".mov",
    ".avi", ".mkv", ".webm", ".wmv", ".flv", ".mpg", ".mpeg", ".3gp", ".ts",
    # documents not parsed here, e-books
    ".pdf", ".doc", ".docx", ".odt", ".rtf", ".ppt", ".pptx", ".odp", ".ods", ".epub",
    # programs, libraries, disk images, databases, fonts
    ".exe", ".dll", ".so", ".dylib", ".msi", ".apk", ".dmg", ".iso", ".img", ".bin",
    ".class", ".jar", ".pyc", ".o", ".db", ".sqlite", ".ttf", ".otf", ".woff", ".woff2",
    # archive formats not read
    ".7z", ".rar",
})


def hidden_or_system(path: str) -> bool:
    """Hidden files (``.DS_Store``) and what macOS adds to archives (``__MACOSX/``)."""
    return basename(path).startswith(".") or "__MACOSX" in path.split("/")


def skip_by_name(path: str, opts: Options) -> Skipped | None:
    """Why a file is not read at all, judged by its name alone: hidden or system files,
    documentation, types that are never articles (:data:`NOT_ARTICLE_SUFFIXES`, also when
    compressed: ``clip.mp4.gz``). None: it is opened (a type not known by name is then
    judged by its first bytes, :func:`skip_by_head`).

    ``skip_by_name("clips/نشرة.mp4", opts).reason`` -> ``"unsupported file type '.mp4'"``
    """
    name = basename(path)
    if hidden_or_system(path):
        return Skipped(path, "hidden or system file", IGNORED)
    if R.RE_DOC_FILE.match(name):
        return Skipped(path, "documentation file (README, LICENSE, ...), not an article",
                       IGNORED)
    inner = inner_name(name)
    if suffix(inner).lower() in NOT_ARTICLE_SUFFIXES:
        return Skipped(path, f"unsupported file type {suffix(inner) + name[len(inner):]!r}",
                       IGNORED)
    if detect_format(path, opts.fmt) is None and is_archive_name(inner):
        return Skipped(path, "archive inside an archive (not opened)", IGNORED)
    return None


def skip_by_head(path: str, head: bytes, opts: Options) -> Skipped | None:
    """Why a file is not read past ``head``, its first :data:`HEAD_BYTES` (the whole file
    when shorter): a type not known by its name that is not a page or a feed
    (:func:`markup_format`), or binary content (the reason :func:`parse_blob` gives the
    whole file). None: the file is read whole.

    ``skip_by_head("clip", b"\x00\x00\x00\x18ftypmp42", opts).reason`` ->
    ``"binary file (contains NUL bytes)"``
    """
    fmt = detect_format(path, opts.fmt)
    if fmt is None:
        if markup_format(head):
            return None
        name = inner_name(basename(path))
        return Skipped(path, f"unsupported file type {suffix(name) or name!r}", IGNORED)
    if fmt == "parquet" or fmt in SHEET_FORMATS or opts.encoding or not head \
            or any(head.startswith(b) for b, _ in R.BOMS):
        return None
    sample = head
    if len(head) >= HEAD_BYTES:          # cut: end on a whole UTF-16 code unit and pair
        sample = head[:HEAD_BYTES - 4]
    if bom_less_utf16(sample[:len(sample) - len(sample) % 2]):
        return None
    reason = binary_reason(head)
    return Skipped(path, reason) if reason else None


def parse_blob(path: str, data: bytes, opts: Options) -> Result:
    """Parse one file's bytes into articles. Never raises: bad input is skipped or warned
    about, and an unexpected error while parsing skips the whole file with its message."""
    try:
        return _parse_blob(path, data, opts)
    except Exception as e:              # noqa: BLE001 -- one bad file, not the load
        p = Parser(path, None, detect_format(path, opts.fmt) or "", opts)
        p.skip(f"skipped, parsing it failed ({describe_error(e)})")
        return p.result()


def _parse_blob(path: str, data: bytes, opts: Options) -> Result:
    name = basename(path)
    fmt = detect_format(path, opts.fmt)
    p = Parser(path, None, fmt or "", opts)
    skip = skip_by_name(path, opts)
    if skip is not None:
        p.skip(skip.reason, skip.kind)
        return p.result()
    if not data:
        p.skip("empty file")
        return p.result()
    if not opts.fmt and (fmt in ("text", "trec") or fmt is None and not is_archive_name(name)):
        fmt = markup_format(data) or fmt      # pages and feeds, known by their root element
    if fmt is None:
        ext = suffix(inner_name(name)) or name
        if is_archive_name(name):
            p.skip("archive inside an archive (not opened)", IGNORED)
        else:
            p.skip(f"unsupported file type {ext!r}", IGNORED)
        return p.result()
    if fmt == "parquet":
        return parse_parquet(p, data)
    if fmt in SHEET_FORMATS:
        parse_workbook(p, data)
        return p.result()
    text, encoding, replaced = None, None, 0
    if not opts.encoding and not any(data.startswith(b) for b, _ in R.BOMS):
        utf16 = bom_less_utf16(data)
        if utf16:
            text, encoding = data.decode(utf16), utf16
        else:
            reason = binary_reason(data)
            if reason:
                p.skip(reason)
                return p.result()
    if text is None:
        forced = opts.encoding or (declared_charset(data) if fmt in WEB_FORMATS else None)
        decoded = decode_bytes(data, forced)
        text, encoding, replaced = decoded.text, decoded.encoding, decoded.replaced
        for kind, message in decoded.notes:   # encoding_guess, mixed_encoding
            p.warn(message, kind)
    p.encoding = encoding
    if replaced:
        p.warn(f"{replaced:,} undecodable byte(s) replaced by U+FFFD (read as {encoding})",
               "replaced_bytes")
    text = newlines(text)
    if not text or text.isspace():          # (no stripped copy of a large text)
        p.skip("empty file (whitespace only)")
        return p.result()
    if fmt == "text":
        if _RE_MARKUP_START.match(text) and R.RE_TREC_DOC_OPEN.search(text):
            fmt = "trec"
        else:
            fmt = "txt"
    p.fmt = fmt
    parse = {"txt": parse_seed, "trec": parse_trec, "json": parse_json,
             "jsonl": parse_jsonl, "csv": parse_csv, "tsv": parse_csv,
             "html": parse_html, "rss": parse_feed, "atom": parse_feed}[fmt]
    parse(p, text)
    if p.seen == 0:
        p.skip("no articles in file")
    return p.result()


# where a text starts after white space; a line holding only white space (seed layout)
_RE_SPACE = re.compile(r"\s*")
_RE_BLANK_LINE = re.compile(r"[^\S\n]*(?:\n|\Z)")
# a text opening with markup (after white space)
_RE_MARKUP_START = re.compile(r"\s*<")


def _end_of_text(text: str, start: int, end: int) -> int:
    """Where ``text[start:end]`` ends once trailing white space is stripped."""
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def parse_seed(p: Parser, text: str) -> None:
    """Seed layout: headline line, blank line, body. The body is cut out of ``text`` by
    position (one copy, however long it is)."""
    start = _RE_SPACE.match(text).end()
    end = len(text)
    while end > start and text[end - 1] == "\n":
        end -= 1
    nl = text.find("\n", start, end)
    if nl >= 0 and nl + 1 < end and not _RE_BLANK_LINE.match(text, nl + 1, end):
        p.warn("no headline (the first line is not followed by a blank line); "
               "the whole text is the body", "no_headline")
        title, body = None, text[start:_end_of_text(text, start, end)]
    elif nl < 0:
        title, body = text[start:end].strip() or None, ""
    else:
        at = _RE_SPACE.match(text, nl + 1, end).end()
        title, body = text[start:nl].strip() or None, text[at:_end_of_text(text, at, end)]
    p.add(id=stem(p.path), title=title, body=body)


def parse_batch(batch: list[tuple[str, bytes]], opts: Options) -> list[Result]:
    """Parse several files (in a worker process): one :class:`Result` each, never raises
    (:func:`parse_blob` turns any error into a skipped file)."""
    return [parse_blob(path, data, opts) for path, data in batch]
