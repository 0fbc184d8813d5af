"""etl.normalise.redact: personal data out, everything else left as written."""
from __future__ import annotations

import time

import pandas as pd
import pytest
from stdnum.fi import hetu as stdnum_hetu

from etl.normalise.redact import (EMAIL, HETU, PHONE, POSSIBLE_HETU, is_possible_hetu, is_valid_hetu, redact_series,
                                  redact_text)


@pytest.mark.parametrize("code", ["131052-308T", "131052A308T", "010594Y9032", "010594X9032",
                                  "020502E902X", "020502B902X", "010101+101" + "0123456789ABCDEFHJKLMNPRSTUVWXY"[10101101 % 31]])
def test_valid_identity_codes_incl_2023_century_signs(code):
    assert is_valid_hetu(code)
    assert redact_text(f"Minun hetu on {code}, soittakaa.") == (f"Minun hetu on {HETU}, soittakaa.", 1)


def test_agrees_with_stdnum_on_ordinary_codes():
    for code in ["131052-308T", "131052A308T", "290200A0016"]:
        assert is_valid_hetu(code) == stdnum_hetu.is_valid(code)


@pytest.mark.parametrize("code", ["131052-308U", "310252-308T", "131052-000T", "131052a308x"])
def test_identity_code_with_a_wrong_check_character_is_redacted_as_possible(code):
    assert not is_valid_hetu(code)
    assert is_possible_hetu(code)
    text, n = redact_text(f"Hetuni on {code}, soittakaa.")
    assert (text, n) == (f"Hetuni on {POSSIBLE_HETU}, soittakaa.", 1)


@pytest.mark.parametrize("code", ["131352-308T", "321052-308T", "131052Z308T", "991052-308T"])
def test_not_identity_code_shaped_left_alone(code):
    assert not is_valid_hetu(code) and not is_possible_hetu(code)
    assert redact_text(f"koodi {code}") == (f"koodi {code}", 0)


@pytest.mark.parametrize("text,expected", [
    ("Soittakaa 040 123 4567", "Soittakaa [PUHELIN]"),
    ("numero +358 40 1234567.", "numero [PUHELIN]."),
    ("puh. 050-1234567", "puh. [PUHELIN]"),
    ("vaihde 09 1234 5678", "vaihde [PUHELIN]"),
    ("(09) 1234 5678", "[PUHELIN]"),
    ("0401234567", "[PUHELIN]"),
    ("+358401234567 kiitos", "[PUHELIN] kiitos"),
])
def test_phone_numbers(text, expected):
    assert redact_text(text) == (expected, 1)


def test_emails():
    assert redact_text("Vastaus: matti.meikäläinen@esimerkki.fi kiitos") == (f"Vastaus: {EMAIL} kiitos", 1)
    assert redact_text("anna+palaute@hus.fi, toinen@x.com") == (f"{EMAIL}, {EMAIL}", 2)


@pytest.mark.parametrize("text", [
    "Käynti 12.3.2024 klo 14.30 oli hyvä", "Arvio 4,5 / 5", "vuonna 2024 ja 2023", "Odotin 45 min",
    "2024-03-15", "15/03/2024", "aukiolo 0930-1030 ja 08.00-16.00", "huone 512, osasto 5B", "1 234 euroa",
    "Kiitos!", "", "klo 8-16",
])
def test_dates_times_years_scores_untouched(text):
    assert redact_text(text) == (text, 0)


def test_mixed_comment():
    text = "Olen 131052-308T, soittakaa 040 123 4567 tai maili m@x.fi. Käynti 3.4.2024 klo 9.15, arvio 5."
    out, n = redact_text(text)
    assert n == 3
    assert out == f"Olen {HETU}, soittakaa {PHONE} tai maili {EMAIL}. Käynti 3.4.2024 klo 9.15, arvio 5."
    assert redact_text(out) == (out, 0)


@pytest.mark.parametrize("text,expected", [
    ("hetu １３１０５２-３０８T", f"hetu {HETU}"),                       # fullwidth digits
    ("131052−308T kävi", f"{HETU} kävi"),                                  # minus sign
    ("puh ０４０ １２３ ４５６７ iltaisin", f"puh {PHONE} iltaisin"),
    ("puh ٠٤٠١٢٣٤٥٦٧", f"puh {PHONE}"),                                  # Arabic-Indic digits
    ("soita 040\u2011123\u20114567", f"soita {PHONE}"),                 # non-breaking hyphens
    ("ｍａｉｌ ｍａｔｔｉ＠ｅｓｉｍｅｒｋｋｉ．ｆｉ kiitos", f"ｍａｉｌ {EMAIL} kiitos"),
    ("x\ufe6by.fi kiitos", f"{EMAIL} kiitos"),
])
def test_lookalike_digits_dashes_and_at_are_read_as_themselves(text, expected):
    """Numbers pasted from phones and documents come in fullwidth or other scripts' digits
    and typographic dashes; they are the same personal data. The text around them is kept
    exactly as written (the en dash of "klo 8–16" stays)."""
    assert redact_text(text)[0] == expected
    assert redact_series(pd.Series([text, "klo 8–16 – kiitos"], dtype="str"))[0].tolist() == [
        expected, "klo 8–16 – kiitos"]


def test_none_and_non_text():
    assert redact_text(None) == (None, 0)


def test_series_counts_and_keeps_index():
    s = pd.Series(["hyvä", None, "040 123 4567 tai 131052-308T", "12.3.2024"], index=[10, 11, 12, 13])
    out, total = redact_series(s)
    assert total == 2
    assert out[10] == "hyvä" and pd.isna(out[11]) and out[13] == "12.3.2024"
    assert out[12] == f"{PHONE} tai {HETU}"
    assert list(out.index) == [10, 11, 12, 13]
    assert s[12] == "040 123 4567 tai 131052-308T"  # the input is not changed


def test_fast_on_a_large_comment_column():
    comments = ["Hoitaja oli ystävällinen ja kuunteli", "Odotin 45 minuuttia 12.3.2024",
                "Soittakaa 040 123 4567"] * 100_000
    start = time.perf_counter()
    out, total = redact_series(pd.Series(comments))
    elapsed = time.perf_counter() - start
    assert total == 100_000
    assert elapsed < 10, elapsed


def test_arrow_candidates_pass_every_cell_redaction_changes_and_skip_dates_and_times():
    """The Arrow prefilter (candidate_positions) may pass cells redaction leaves alone, never
    skip one it changes; and a date or a clock time without a phone's trunk 0 or an '@'
    costs no Python look."""
    import random

    import pyarrow as pa

    from etl.normalise.redact import candidate_positions, redact_cell
    rng = random.Random(7)
    alphabet = list("0123456789 .-+@(),:/aäöBX") + ["\uff10", "\u0661", "\u2212", "\u2013", "\uff20", "\ufe6b",
                                                    "\u058a", "\u0967", "\u00a0", "é"]
    cells = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 24))) for _ in range(20_000)]
    cells += ["soita 040 123 4567", "hetu 131052-308T", "a@b.cd", "０４０ １２３ ４５６７", "＋358 40 1234567",
              "pää0401234567 ja 040 1234567", "posti matti＠example.fi"]
    dates = ["Kävin 12.3.2024 klo 14.30 vastaanotolla", "Jonotin 45 minuuttia, huone 12"]
    arr = pa.array(cells + dates, pa.large_string())
    kept = set(candidate_positions(arr).tolist())
    assert [c for i, c in enumerate(cells) if i not in kept and redact_cell(c) != (c, 0)] == []
    assert not kept & {len(cells), len(cells) + 1}
