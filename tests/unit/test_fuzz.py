"""Hypothesis fuzzing: parsers never raise, redaction is idempotent and leaves no valid
identity code, and the reader lets nothing but ImportError_ escape on any bytes."""
from __future__ import annotations

import datetime as dt
import io
import zipfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl.contract import ImportError_
from etl.read.readers import read_workbook
from etl.normalise.redact import _HETU_RE, _valid_parts, redact_series, redact_text
from etl.normalise.values import (parse_channel, parse_date_column, parse_nps_column, parse_number,
                        parse_score_column, parse_type, parse_yes_no)

CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"
SIGNS = "+-YXWVUABCDEF"

cells = st.one_of(
    st.none(), st.booleans(), st.integers(-10**12, 10**12), st.integers(min_value=10**308), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30), st.dates(), st.datetimes(), st.times(),
    st.from_regex(r"\d{1,2}[./-]\d{1,2}[./-]\d{0,4}( \d{1,2}[.:]\d{2})?", fullmatch=True),
    st.sampled_from(["31.2.2024", "03/04/2024", "#DIV/0!", "4,5", "8+", "ei vastausta", "1 = paras",
                     "Erittäin hyvä", "12.1.", "20240230", "½", "٣", "1e309", "-0", "NaN"]),
)


@st.composite
def hetus(draw):
    born = draw(st.dates(min_value=dt.date(1800, 1, 1), max_value=dt.date(2099, 12, 31)))
    century = born.year // 100 * 100
    sign = draw(st.sampled_from({1800: "+", 1900: "-YXWVU", 2000: "ABCDEF"}[century]))
    num = draw(st.integers(2, 999))
    body = f"{born:%d%m}{born.year % 100:02d}"
    return f"{body}{sign}{num:03d}{CHECK[int(body + f'{num:03d}') % 31]}"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(cells, max_size=25), st.one_of(st.none(), st.integers(1990, 2100)))
def test_date_column_never_raises(values, year_hint):
    dates, rejects, meta = parse_date_column(values, year_hint=year_hint)
    assert len(dates) == len(values)
    assert all(d is None or isinstance(d, dt.date) for d in dates)
    for i, code, fi, en in rejects:
        assert dates[i] is None and fi and en


@settings(max_examples=300, deadline=None)
@given(st.lists(cells, max_size=25), st.sampled_from([None, "1-5", "4-10", "0-10", "smiley4", "words", "outo"]),
       st.one_of(st.none(), st.text(max_size=30)))
def test_score_and_nps_columns_never_raise(values, scale, header):
    scores, raw, used_scale, rejects = parse_score_column(values, scale, header)
    assert len(scores) == len(raw) == len(values)
    assert all(s is None or 1 - 1e-9 <= s <= 5 + 1e-9 for s in scores)
    nps, nps_rejects = parse_nps_column(values)
    assert all(v is None or (isinstance(v, int) and 0 <= v <= 10) for v in nps)


@settings(max_examples=300, deadline=None)
@given(cells)
def test_word_parsers_never_raise(value):
    assert parse_type(value) in (None, "praise", "complaint", "suggestion", "question")
    assert parse_yes_no(value) in (None, True, False)
    assert parse_channel(value) in (None, "paper", "kiosk", "web", "email", "sms", "phone")
    n = parse_number(value)
    assert n is None or isinstance(n, float)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=20), hetus(), st.from_regex(r"0\d{2} ?\d{3} ?\d{4}", fullmatch=True),
                          st.emails()), max_size=8))
def test_redaction_idempotent_and_leaves_no_valid_hetu(parts):
    text = " ".join(parts)
    once, n = redact_text(text)
    twice, m = redact_text(once)
    assert twice == once and m == 0
    assert not any(_valid_parts(x) for x in _HETU_RE.finditer(once))
    assert n >= sum(1 for p in parts if _HETU_RE.fullmatch(p) and _valid_parts(_HETU_RE.fullmatch(p)))


@settings(max_examples=100, deadline=None)
@given(hetus())
def test_every_generated_hetu_is_replaced(code):
    assert redact_text(f"hetu:{code}.")[0] == "hetu:[HETU]."


@settings(max_examples=50, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(max_size=40), hetus()), max_size=20))
def test_redact_series_total_matches_cells(values):
    import pandas as pd
    out, total = redact_series(pd.Series(values, dtype=object))
    assert total == sum(redact_text(v)[1] if isinstance(v, str) else 0 for v in values)
    assert len(out) == len(values)


def _zip_bytes(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for k, v in members.items():
            z.writestr(k, v)
    return buf.getvalue()


prefixes = st.sampled_from([b"", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\xef\xbb\xbf", b"\xff\xfe",
                            b"<html>", b"Pvm;Arvio\n"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(prefixes, st.binary(max_size=2000))
def test_reader_on_random_bytes_raises_only_import_error(tmp_path, prefix, body):
    path = tmp_path / "fuzz.xlsx"
    path.write_bytes(prefix + body)
    try:
        wb = read_workbook(path)
    except ImportError_ as err:
        assert err.fi and err.en and err.file == "fuzz.xlsx"
        return
    assert wb.sheets and any(any(v is not None for v in r) for s in wb.sheets for r in s.rows)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.sampled_from(["xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml",
                                        "xl/worksheets/sheet1.xml", "mimetype", "content.xml", "word/document.xml"]),
                       st.one_of(st.binary(max_size=300), st.just(b"application/vnd.oasis.opendocument.spreadsheet")),
                       max_size=6))
def test_reader_on_random_zip_members_raises_only_import_error(tmp_path, members):
    path = tmp_path / "fuzz.xlsx"
    path.write_bytes(_zip_bytes(members))
    try:
        read_workbook(path)
    except ImportError_:
        pass
