"""etl.normalise.values: the cell values nurses and survey platforms really write."""
from __future__ import annotations

import time
from datetime import date, datetime

import numpy as np
import pandas as pd
import pytest

from etl.normalise.values import (REASONS, cell_text, detect_reversed, detect_scale, parse_channel,
                        parse_channel_column, parse_date, parse_date_column, parse_nps_column,
                        parse_number, parse_score_column, parse_type, parse_type_column, parse_yes_no)


def _codes(rejects):
    return [(i, code) for i, code, _, _ in rejects]


def test_every_reason_has_finnish_and_english():
    for code, (fi, en) in REASONS.items():
        assert fi and en and fi != en, code


def test_dates_of_every_form():
    values = [datetime(2024, 3, 1, 14, 30), date(2024, 3, 2), 45000, 45000.75, "3.4.2024", "03.04.24",
              "5.4.", "2024-04-06", "2024-04-07T14:30:00", "8.4.2024 14.30", "9.4.2024 klo 9:05",
              "20240410", None, "", "  "]
    dates, rejects, meta = parse_date_column(values, year_hint=2023)
    assert dates == [date(2024, 3, 1), date(2024, 3, 2), date(2023, 3, 15), date(2023, 3, 15),
                     date(2024, 4, 3), date(2024, 4, 3), date(2023, 4, 5), date(2024, 4, 6),
                     date(2024, 4, 7), date(2024, 4, 8), date(2024, 4, 9), date(2024, 4, 10),
                     None, None, None]
    assert rejects == []
    assert meta["with_time"] == 5 and meta["without_year"] == 1 and meta["blank"] == 3


def test_impossible_dates_rejected_with_reason():
    dates, rejects, _ = parse_date_column(["31.2.2024", "29.2.2024", "29.2.2023", "2024-13-01", "32.1.2024", "huomenna"])
    assert dates == [None, date(2024, 2, 29), None, None, None, None]
    assert _codes(rejects) == [(0, "invalid_date"), (2, "invalid_date"), (3, "invalid_date"),
                               (4, "invalid_date"), (5, "invalid_date")]
    assert rejects[0][2] == REASONS["invalid_date"][0] and rejects[0][3] == REASONS["invalid_date"][1]


def test_day_month_without_year_needs_a_hint():
    dates, rejects, _ = parse_date_column(["12.1.", "13.1."])
    assert dates == [None, None] and _codes(rejects) == [(0, "no_year"), (1, "no_year")]
    dates, rejects, _ = parse_date_column(["12.1.", "13.1."], year_hint=2023)
    assert dates == [date(2023, 1, 12), date(2023, 1, 13)] and rejects == []


def test_slash_dates_decided_by_the_whole_column():
    day_first, rejects, meta = parse_date_column(["03/04/2024", "13/04/2024"])
    assert day_first == [date(2024, 4, 3), date(2024, 4, 13)] and meta["order"] == "dmy" and rejects == []
    month_first, _, meta = parse_date_column(["03/04/2024", "04/13/2024 2:15:00 PM"])
    assert month_first == [date(2024, 3, 4), date(2024, 4, 13)] and meta["order"] == "mdy"


def test_ambiguous_slash_column_flagged_never_guessed():
    dates, rejects, meta = parse_date_column(["03/04/2024", "05/06/2024", "07/07/2024", "1.5.2024"])
    assert meta["ambiguous"] is True
    assert dates == [None, None, date(2024, 7, 7), date(2024, 5, 1)]  # 07/07 reads the same both ways
    assert _codes(rejects) == [(0, "ambiguous_date"), (1, "ambiguous_date")]
    # a contradicting column (13/01 and 01/13): each date that reads one way only is read
    # that way; the ambiguous one has no clear majority to follow
    dates, rejects, meta = parse_date_column(["13/01/2024", "01/13/2024", "02/03/2024"])
    assert dates == [date(2024, 1, 13), date(2024, 1, 13), None]
    assert meta["ambiguous"] and _codes(rejects) == [(2, "ambiguous_date")]
    # a caller that knows the platform decides
    assert parse_date("03/04/2024", order="mdy") == date(2024, 3, 4)


def test_mixed_conventions_ambiguous_dates_follow_a_clear_majority_and_are_counted():
    column = ["25/03/2024"] * 30 + ["03/25/2024"] * 5 + ["04/03/2024"] * 12 + ["1.5.2024"]
    dates, rejects, meta = parse_date_column(column)
    assert rejects == []
    assert dates.count(date(2024, 3, 25)) == 35           # unambiguous both ways always parse
    assert dates.count(date(2024, 3, 4)) == 12            # 04/03 follows the day-first majority
    assert (meta["order"], meta["assumed"], meta["day_first"], meta["month_first"]) == ("dmy", 12, 30, 5)


def test_whole_column_month_first_without_evidence_uses_the_platform_default():
    dates, rejects, meta = parse_date_column(["7/1/2024 8:15:00", "7/2/2024 12:00:00"], default_order="mdy")
    assert dates == [date(2024, 7, 1), date(2024, 7, 2)] and rejects == []
    assert meta["order"] == "mdy" and meta["assumed"] == 2


def test_serials_outside_feedback_years_rejected():
    dates, rejects, _ = parse_date_column([5, 45000, 999999])
    assert dates == [None, date(2023, 3, 15), None]
    assert _codes(rejects) == [(0, "invalid_date"), (2, "invalid_date")]


def test_scale_detection():
    assert detect_scale("Arvio", [1, 2, 5]) == "1-5"
    assert detect_scale("Kouluarvosana", [7, 8, 9]) == "4-10"
    assert detect_scale("Arvosana (4-10)", ["8", "9"]) == "4-10"
    assert detect_scale("Kuinka todennäköisesti suosittelisit", [7, 8]) == "0-10"
    assert detect_scale("Arvio", [0, 3, 10]) == "0-10"
    assert detect_scale("Hymiö", [1, 2, 4]) == "smiley4"
    assert detect_scale("Tyytyväisyys", ["Erittäin hyvä", "hyvä", "huono"]) == "words"
    assert detect_scale("Hymiöpääte", ["Erittäin hyvä", "Hyvä", "Huono"]) == "smiley4"


def test_scores_on_each_scale():
    assert parse_score_column([1, "2", "4,5", 5.0], "1-5")[0] == [1.0, 2.0, 4.5, 5.0]
    assert parse_score_column([4, 7, 10], "4-10")[0] == [1.0, 3.0, 5.0]
    assert parse_score_column([0, 5, 10], "0-10")[0] == [1.0, 3.0, 5.0]
    smiley = parse_score_column([1, 2, 3, 4], "smiley4")[0]
    assert smiley == [1.0, 2.0, 4.0, 5.0]  # the two happy faces are satisfied (4, 5)
    # the template's own name for the smiley scale is accepted
    assert parse_score_column([4], "hymiö4")[2] == "smiley4"


def test_school_grades_with_plus_minus_half():
    scores, raw, scale, _ = parse_score_column(["8+", "9-", "7½", "10"], None, "Kouluarvosana")
    assert scale == "4-10"
    assert scores == pytest.approx([1 + 4.25 * 4 / 6, 1 + 4.75 * 4 / 6, 1 + 3.5 * 4 / 6, 5.0])
    assert raw == ["8+", "9-", "7½", "10"]


def test_score_words_in_three_languages_and_no_answer():
    words = ["Erittäin hyvä", "hyvä", "Kohtalainen", "huono", "erittäin huono", "mycket bra", "bra", "dålig",
             "Very good", "good", "Neither good nor poor", "poor", "very poor", "Extremely likely",
             "ei vastausta", "En osaa sanoa", "Don't know", "vet ej"]
    scores, raw, scale, rejects = parse_score_column(words, None, "Kokemus")
    assert scale == "words"
    assert scores == [5, 4, 3, 2, 1, 5, 4, 2, 5, 4, 3, 2, 1, 5, None, None, None, None]
    assert rejects == []
    assert raw[0] == "Erittäin hyvä"


def test_smiley_terminal_words_on_four_buttons():
    scores, _, scale, _ = parse_score_column(["Erittäin hyvä", "Hyvä", "Huono", "Erittäin huono"], None, "Hymiö")
    assert scale == "smiley4"
    assert scores == [5.0, 4.0, 2.0, 1.0]


def test_reversed_scale_from_header_and_labels():
    assert detect_reversed("Arvio (1 = paras, 5 = huonoin)")
    assert detect_reversed("Betyg 1=mycket bra")
    assert not detect_reversed("Arvio 1-5 (5 = paras)")
    scores, *_ = parse_score_column([1, 2, 5], None, "Arvio (1 = paras, 5 = huonoin)")
    assert scores == [5.0, 4.0, 1.0]
    labelled = ["1 = Erittäin hyvä", "2 = Hyvä", "5 = Erittäin huono"]
    assert detect_reversed(None, labelled)
    scores, raw, _, _ = parse_score_column(labelled, "1-5", "Arvio")
    assert scores == [5.0, 4.0, 1.0] and raw == labelled
    # labels that run the usual way are not flipped
    assert parse_score_column(["5 = Erittäin hyvä", "1 = Erittäin huono"], "1-5")[0] == [5.0, 1.0]


def test_score_rejects_keep_raw_text():
    scores, raw, _, rejects = parse_score_column([3, 6, "kolme", "#DIV/0!", None, 0], "1-5")
    assert scores == [3.0, None, None, None, None, None]
    assert raw == ["3", "6", "kolme", "#DIV/0!", None, "0"]
    assert _codes(rejects) == [(1, "score_out_of_range"), (2, "score_unreadable"), (3, "formula_error"),
                               (5, "score_out_of_range")]


def test_nps():
    values, rejects = parse_nps_column([10, "9", 0, "7,5", 11, "eos", "10 - Erittäin todennäköisesti", "paljon", None])
    assert values == [10, 9, 0, None, None, None, 10, None, None]
    assert _codes(rejects) == [(3, "nps_out_of_range"), (4, "nps_out_of_range"), (7, "nps_unreadable")]


@pytest.mark.parametrize("text,expected", [
    ("Kiitos", "praise"), ("kiitokset!", "praise"), (" POSITIIVINEN ", "praise"), ("Beröm", "praise"),
    ("tack", "praise"), ("Compliment", "praise"), ("praise.", "praise"),
    ("moite", "complaint"), ("Valitus", "complaint"), ("kritiikki", "complaint"), ("negatiivinen", "complaint"),
    ("Epäkohta", "complaint"), ("klagomål", "complaint"), ("Complaint", "complaint"),
    ("kehitysehdotus", "suggestion"), ("Kehittämisehdotus", "suggestion"), ("idea", "suggestion"),
    ("ehdotus", "suggestion"), ("förslag", "suggestion"), ("Suggestion", "suggestion"),
    ("kysymys?", "question"), ("Fråga", "question"), ("question", "question"),
    ("Moite / valitus", "complaint"), ("kiitos ja moite", None), ("muu", None), (None, None), (4, None),
])
def test_feedback_type_words(text, expected):
    assert parse_type(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("kyllä", True), ("Joo", True), ("K", True), ("x", True), ("ja", True), ("Yes", True), ("TRUE", True),
    (1, True), (True, True), ("ei", False), ("E", False), ("nej", False), ("no", False), ("false", False),
    (0, False), (False, False), ("ehkä", None), (None, None), ("", None),
])
def test_yes_no(text, expected):
    assert parse_yes_no(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("paperi", "paper"), ("Lomake", "paper"), ("kioski", "kiosk"), ("Hymiöpääte", "kiosk"), ("päätte", "kiosk"),
    ("verkko", "web"), ("Web", "web"), ("QR", "web"), ("QR-kysely", "web"), ("sähköposti", "email"),
    ("E-mail", "email"), ("tekstiviesti", "sms"), ("SMS", "sms"), ("Puhelin", "phone"), ("kirjekyyhky", None),
])
def test_channels(text, expected):
    assert parse_channel(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("4,5", 4.5), ("1\u00a0234,5", 1234.5), ("1 234", 1234.0), ("12 %", 12.0), ("12%", 12.0),
    ("1.234,5", 1234.5), ("1,234.5", 1234.5), ("\u22123", -3.0), ("3.", 3.0), (7, 7.0), ("abc", None),
    ("", None), (None, None), (True, None), ("1e3", 1000.0), ("4,5,6", None),
])
def test_parse_number(text, expected):
    assert parse_number(text) == expected


def test_word_column_rejects_unknown():
    types, rejects = parse_type_column(["kiitos", "höpö", None, "moite"])
    assert types == ["praise", None, None, "complaint"] and _codes(rejects) == [(1, "unknown_type")]
    channels, rejects = parse_channel_column(pd.Series(["paperi", "??"]))
    assert channels == ["paper", None] and _codes(rejects) == [(1, "unknown_channel")]


def test_cell_text():
    assert [cell_text(v) for v in [5.0, 4.5, "  a ", None, float("nan"), datetime(2024, 1, 2, 3, 4), True]] == \
        ["5", "4.5", "a", None, None, "2024-01-02 03:04", "TRUE"]


def test_million_rows_parse_in_seconds():
    n = 1_048_576
    rng = np.random.default_rng(1)
    serials = (45000 + rng.integers(0, 700, n)).astype(float).tolist()
    texts = [f"{d}.{m}.2024" for d, m in zip(rng.integers(1, 29, n), rng.integers(1, 13, n))]
    scores = rng.integers(1, 6, n).astype(float).tolist()
    start = time.perf_counter()
    d1, r1, _ = parse_date_column(serials)
    d2, r2, _ = parse_date_column(texts)
    s, raw, scale, r3 = parse_score_column(scores, None, "Arvio")
    nps, r4 = parse_nps_column(scores)
    elapsed = time.perf_counter() - start
    assert len(d1) == len(d2) == len(s) == len(nps) == n
    assert not (r1 or r2 or r3 or r4) and scale == "1-5"
    assert d2[0] is not None and s[0] == scores[0]
    assert elapsed < 15, elapsed
