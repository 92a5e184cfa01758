"""Tests for helpers.corpus.decoding: code pages, mixed files, stray bytes, doubts.

Arabic texts are headlines and sentences of ANT articles held out of the bigram model
(``scripts/build_arabic_bigrams.py``: ``crc32(member name) % 8 == 0``), read from the first
members of the archive; Latin texts are ``tests/fixtures/latin_sentences.txt``. Every
class of text is generated in variants (code page x length x position) and checked for the
one property that matters: the text comes back exactly with the right label, or a warning
says that it may not.
"""

from __future__ import annotations

import random
import re
import tarfile
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import paths
from helpers.corpus import CorpusError, load_corpus
from helpers.corpus import codepages as C
from helpers.corpus import decoding as D
from helpers.corpus.codepages import guess_codepage
from helpers.corpus.decoding import (
    ENCODING_GUESS,
    MIXED_ENCODING,
    Decoded,
    decode_bytes,
)

LATIN_FILE = Path(__file__).parent / "fixtures" / "latin_sentences.txt"
FAMILY = {"cp1256": "arabic", "iso-8859-6": "arabic", "cp1252": "latin", "latin-1": "latin"}
RE_FIELD = re.compile(r"<(TITLE|TEXT)>(.*?)</\1>", re.DOTALL)
RE_SENTENCE_END = re.compile(r"(?<=[.!?؟])\s+|\n+")


def held_out_texts(archive: Path, articles: int = 16) -> tuple[list[str], list[str]]:
    """(headlines, sentences) of the first ``articles`` held-out ANT articles."""
    titles, sentences = [], []
    with tarfile.open(archive) as tf:
        for member in tf:
            if not member.isfile() or not member.name.endswith(".txt") \
                    or zlib.crc32(member.name.encode()) % 8:
                continue
            fields = dict(RE_FIELD.findall(tf.extractfile(member).read().decode("utf-8")))
            titles.append(" ".join(fields.get("TITLE", "").split()))
            sentences += [" ".join(s.split()) for s in RE_SENTENCE_END.split(fields["TEXT"])
                          if len(s.split()) >= 4]
            if len(titles) == articles:
                return [t for t in titles if t], sentences
    return [t for t in titles if t], sentences


@pytest.fixture(scope="module")
def arabic(ant_archive):
    titles, sentences = held_out_texts(ant_archive)
    assert len(titles) >= 10 and len(sentences) >= 50
    return titles, sentences


@pytest.fixture(scope="module")
def latin():
    return [line for line in LATIN_FILE.read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")]


def encodable(texts: list[str], enc: str) -> list[str]:
    out = []
    for t in texts:
        try:
            t.encode(enc)
        except UnicodeEncodeError:
            continue
        out.append(t)
    return out


def windows(texts: list[str], n: int, seed: int, lo: int = 1, hi: int = 8) -> list[str]:
    """``n`` runs of ``lo``-``hi`` words of the texts, each with a non-ASCII character."""
    rng, out = random.Random(seed), []
    while len(out) < n:
        words = rng.choice(texts).split()
        k = min(len(words), rng.randint(lo, hi))
        i = rng.randrange(len(words) - k + 1)
        text = " ".join(words[i:i + k])
        if not text.isascii():
            out.append(text)
    return out


def kinds(d: Decoded) -> list[str]:
    return [kind for kind, _ in d.notes]


def right(d: Decoded, text: str, enc: str) -> bool:
    """Exact text, labelled with the code page used or one of its script giving the same
    text (a short Arabic text using only letters common to both Arabic code pages)."""
    return d.text == text and (d.encoding == enc or FAMILY.get(d.encoding) == FAMILY[enc])


# --------------------------------------------------------------------------------------
# 8-bit code pages
# --------------------------------------------------------------------------------------

@pytest.mark.parametrize("enc", ["cp1256", "iso-8859-6"])
def test_arabic_code_pages_sentences_and_headlines(arabic, enc):
    titles, sentences = arabic
    texts = encodable(titles, enc) + encodable(sentences, enc)[:60]
    assert len(texts) >= 50
    for text in texts:
        d = decode_bytes(text.encode(enc))
        assert d.text == text and d.encoding == enc, (text, d)
        assert ENCODING_GUESS not in kinds(d), (text, d.notes)


@pytest.mark.parametrize("enc", ["cp1256", "iso-8859-6"])
def test_short_arabic_texts_are_right_or_flagged(arabic, enc):
    # 1-8 words: a wrong reading is never silent; most are right
    texts = windows(encodable(arabic[1], enc), 300, seed=len(enc))
    outcomes = []
    for text in texts:
        d = decode_bytes(text.encode(enc))
        ok = right(d, text, enc)
        assert ok or ENCODING_GUESS in kinds(d), (text, d)
        outcomes.append(ok)
    assert sum(outcomes) >= 0.95 * len(texts)


@pytest.mark.parametrize("enc", ["cp1256", "iso-8859-6"])
def test_five_word_headlines_tell_the_arabic_code_pages_apart(arabic, enc):
    texts = windows(encodable(arabic[0] + arabic[1], enc), 100, seed=5, lo=5, hi=5)
    wrong = [t for t in texts if not right(decode_bytes(t.encode(enc)), t, enc)]
    assert len(wrong) <= 2, wrong


@pytest.mark.parametrize("text", ["كغ", "من", "هو"])
def test_a_word_that_reads_in_both_arabic_code_pages_is_a_doubt(text):
    # ISO-8859-6 "كغ" is Windows-1256 "مع"; "من" <-> "هو" likewise
    d = decode_bytes(text.encode("iso-8859-6"))
    assert right(d, text, "iso-8859-6") or ENCODING_GUESS in kinds(d)
    g = guess_codepage(text.encode("iso-8859-6"))
    assert g.doubt and g.runner_up in C.ARABIC_CODEPAGES


@pytest.mark.parametrize("enc", ["cp1252", "latin-1"])
def test_latin_script_files_are_recognised(latin, enc):
    texts = encodable(latin, enc)
    assert len(texts) >= 30
    for text in texts + windows(texts, 200, seed=7):
        d = decode_bytes(text.encode(enc))
        assert d.encoding in ("cp1252", "latin-1"), (text, d)
        assert d.text == text and not d.notes, (text, d)


def test_latin_text_with_letters_windows_1256_shares_is_still_latin():
    # é è à ç ê ô ... are the same bytes in Windows-1256 and Windows-1252: same text,
    # labelled by its script
    d = decode_bytes("Le café à côté de l'hôtel".encode("cp1252"))
    assert d.encoding == "cp1252" and d.text == "Le café à côté de l'hôtel"


def test_arabic_text_with_french_letters_is_windows_1256():
    text = "قال الوزير في باريس إن الحكومة ستدعم مشروع (café à Paris) قريبا"
    d = decode_bytes(text.encode("cp1256"))
    assert d.encoding == "cp1256" and d.text == text


@pytest.mark.parametrize("text", [
    "ويدعى سامي أ، تونسي الجنسية",            # "أ،" is valid UTF-8 ("á")
    "كل عائلة ‘سيري أ’ تتحلق حول عائلته",      # "أ’" is valid UTF-8 ("Ò")
    "لا يملكون أي حظ، حسب الاستطلاع",         # "ظ،" is valid UTF-8 ("١")
    "كلمة، وكلمة؛ وكلمة؟ «وكلمة»",
])
def test_windows_1256_bytes_that_happen_to_be_utf8_are_read_in_the_code_page(text):
    d = decode_bytes(text.encode("cp1256"))
    assert d.encoding == "cp1256" and d.text == text and not d.notes


# --------------------------------------------------------------------------------------
# UTF-8 with runs in a code page, UTF-8 with stray bytes
# --------------------------------------------------------------------------------------

@pytest.mark.parametrize("position", [0, 1, 2])
@pytest.mark.parametrize("enc", ["cp1256", "iso-8859-6", "cp1252"])
def test_utf8_file_with_a_paragraph_in_a_code_page(arabic, latin, enc, position):
    rng = random.Random(f"{enc}{position}")
    inserts = [t for t in encodable(latin if enc == "cp1252" else arabic[1], enc)
               if sum(not c.isascii() for c in t) >= 4]
    for _ in range(10):
        paras = [" ".join(rng.sample(arabic[1], 2)) for _ in range(3)]
        paras[position] = " ".join(rng.sample(inserts, 2))
        raw = b"\n".join(p.encode(enc if i == position else "utf-8")
                         for i, p in enumerate(paras))
        d = decode_bytes(raw)
        assert d.text == "\n".join(paras), d.notes
        assert d.encoding == f"utf-8+{enc}" and d.replaced == 0
        assert kinds(d)[0] == MIXED_ENCODING
        assert re.match(r"[\d,]+ byte\(s\) in 1 run\(s\) are not UTF-8: read as ", d.notes[0][1])


def test_utf8_quotes_around_a_windows_1256_quotation():
    raw = "قال الوزير «".encode() + "إن المفاوضات مستمرة".encode("cp1256") + "» للصحفيين".encode()
    d = decode_bytes(raw)
    assert d.text == "قال الوزير «إن المفاوضات مستمرة» للصحفيين"
    assert d.encoding == "utf-8+cp1256"


def test_several_runs_are_counted():
    parts = ["خبر أول بالترميز الموحد", "نص ثان بترميز ويندوز", "ثم عودة إلى الموحد",
             "ونص رابع بترميز ويندوز"]
    raw = b"\n".join(p.encode("cp1256" if i % 2 else "utf-8") for i, p in enumerate(parts))
    d = decode_bytes(raw)
    assert d.text == "\n".join(parts) and d.encoding == "utf-8+cp1256"
    assert "in 2 run(s)" in d.notes[0][1]


def test_a_utf8_bom_file_with_a_windows_1256_paragraph():
    raw = b"\xef\xbb\xbf" + "خبر عاجل من القاهرة\n".encode() + "نص بترميز ويندوز".encode("cp1256")
    d = decode_bytes(raw)
    assert d.text == "خبر عاجل من القاهرة\nنص بترميز ويندوز"
    assert d.encoding == "utf-8-sig+cp1256" and kinds(d) == [MIXED_ENCODING]
    assert decode_bytes(b"\xef\xbb\xbf" + "خبر".encode() + b"\xff") == \
        Decoded("خبر\ufffd", "utf-8-sig", 1)


@pytest.mark.parametrize("raw, encoding", [
    ("عنوان".encode("utf-16"), "utf-16"),
    (b"\xff\xfe\x00\x00" + "عنوان".encode("utf-32-le"), "utf-32"),
    ("عنوان".encode(), "utf-8"),
])
def test_byte_order_marks_and_utf8_as_before(raw, encoding):
    assert decode_bytes(raw) == Decoded("عنوان", encoding)


def insert_stray(raw: bytes, rng: random.Random) -> bytes:
    out = bytearray(raw)
    while True:
        data = bytearray(out)
        for _ in range(rng.randint(1, 3)):
            data.insert(rng.randrange(len(data) + 1), rng.randrange(0x80, 0x100))
        try:
            bytes(data).decode("utf-8")      # two inserted bytes may form a character
        except UnicodeDecodeError:
            return bytes(data)


@pytest.mark.parametrize("seed", range(8))
def test_utf8_with_stray_bytes_is_replaced_with_a_warning(arabic, seed):
    rng = random.Random(seed)
    for _ in range(25):
        text = " ".join(rng.sample(arabic[1], 3))
        d = decode_bytes(insert_stray(text.encode(), rng))
        # (a byte inserted inside a character costs that character too)
        assert d.encoding == "utf-8" and 1 <= d.replaced <= 9 and not d.notes, d


def test_stray_bytes_are_an_error_with_strict_but_guesses_are_not(tmp_path, arabic):
    text = arabic[1][0]
    (tmp_path / "stray.txt").write_bytes(text.encode().replace(b" ", b" \xff", 1))
    with pytest.raises(CorpusError, match=r"stray\.txt: 1 undecodable byte"):
        load_corpus(tmp_path, cache=False, strict=True)
    (tmp_path / "stray.txt").unlink()
    (tmp_path / "guess.txt").write_bytes("كغ\n\nمن".encode("iso-8859-6"))
    (tmp_path / "mixed.txt").write_bytes(text.encode() + b"\n\n" + text.encode("cp1256"))
    _, report = load_corpus(tmp_path, cache=False, strict=True)
    assert report.warning_counts == {ENCODING_GUESS: 1, MIXED_ENCODING: 1}


# --------------------------------------------------------------------------------------
# anything at all: never an exception, never silent garbage
# --------------------------------------------------------------------------------------

@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_decode_never_raises(data):
    d = decode_bytes(data)
    assert isinstance(d.text, str) and isinstance(d.encoding, str) and d.encoding
    assert all(kind in (ENCODING_GUESS, MIXED_ENCODING) for kind in kinds(d))


_PIECES = [" ", "\n", "عنوان الخبر", "café", "«", "»", "،", "ة،", "\ufffd", "x"]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(_PIECES),
                          st.sampled_from(["utf-8", "cp1256", "iso-8859-6", "cp1252"]),
                          st.binary(max_size=3)), max_size=12))
def test_decode_never_raises_on_mixtures(pieces):
    data = b"".join(t.encode(enc, "ignore") + junk for t, enc, junk in pieces)
    d = decode_bytes(data)
    assert isinstance(d.text, str)
    if d.encoding == "utf-8" and not d.replaced:
        assert d.text == data.decode("utf-8")


@given(st.text(max_size=200))
def test_utf8_text_is_read_as_is(text):
    assert decode_bytes(text.encode("utf-8")) == Decoded(text, "utf-8")


def test_random_bytes_are_flagged_not_read_silently():
    rng = random.Random(1)
    for _ in range(300):
        data = bytes(rng.randrange(256) for _ in range(rng.randrange(32, 400)))
        if D.binary_reason(data):
            continue
        d = decode_bytes(data)
        assert ENCODING_GUESS in kinds(d) or d.replaced, (data, d)


# --------------------------------------------------------------------------------------
# the model
# --------------------------------------------------------------------------------------

def test_bigram_table_shape_and_scores():
    import json
    table = json.loads(C.BIGRAMS_FILE.read_text(encoding="utf-8"))
    assert len(table["counts"]) == C.MODEL_SIZE
    assert all(len(row) == C.MODEL_SIZE for row in table["counts"])
    assert {"في", "من", "على"} <= set(table["words"])
    assert C.arabic_word_score("الوزير") > 0 > C.arabic_word_score("افنزٍر")
    assert C.token_score("l’été")[0] > 0 > C.token_score("Ã©tÃ©")[0]


@pytest.mark.slow
def test_bigram_table_is_up_to_date():
    import runpy
    script = runpy.run_path(str(paths.ROOT / "scripts" / "build_arabic_bigrams.py"))
    assert script["main"](["--check"])["same"]


# --------------------------------------------------------------------------------------
# end to end: a folder of files in every encoding
# --------------------------------------------------------------------------------------

def test_load_corpus_records_encodings_and_warnings(tmp_path, arabic, latin):
    both = [t for t in encodable(arabic[1], "cp1256") if t in encodable([t], "iso-8859-6")]
    title = next(t for t in encodable(arabic[0], "iso-8859-6") if t in encodable([t], "cp1256"))
    body = " ".join(both[:3])
    french = next(t for t in latin if "é" in t and "á" not in t)
    article = f"{title}\n\n{body}\n"
    files = {
        "utf8.txt": article.encode(),
        "cp1256.txt": article.encode("cp1256"),
        "iso.txt": article.encode("iso-8859-6"),
        "french.txt": f"Titre\n\n{french}\n".encode("cp1252"),
        "mixed.txt": article.encode() + f"{body}\n".encode("cp1256"),
        "stray.txt": article.encode().replace(b" ", b" \xfe", 1),
        "short.txt": "كغ\n\nمن".encode("iso-8859-6"),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    articles, report = load_corpus(tmp_path, cache=False)
    assert report.seen == report.loaded + len(report.skipped) and report.loaded == len(files)
    encoding = dict(zip(articles["path"], articles["encoding"]))
    assert encoding == {"utf8.txt": "utf-8", "cp1256.txt": "cp1256", "iso.txt": "iso-8859-6",
                        "french.txt": "cp1252", "mixed.txt": "utf-8+cp1256",
                        "stray.txt": "utf-8", "short.txt": encoding["short.txt"]}
    assert encoding["short.txt"] in ("cp1256", "iso-8859-6")
    warned = {(w.path, w.kind) for w in report.warnings}
    assert warned == {("mixed.txt", MIXED_ENCODING), ("stray.txt", "replaced_bytes"),
                      ("short.txt", ENCODING_GUESS)}
    bodies = dict(zip(articles["path"], articles["body"]))
    assert bodies["cp1256.txt"] == body and bodies["french.txt"] == french
    assert bodies["mixed.txt"] == f"{body}\n{body}"
    guess = next(w.message for w in report.warnings if w.kind == ENCODING_GUESS)
    assert "cp1256" in guess and "iso-8859-6" in guess
