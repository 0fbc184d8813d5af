"""The demo generator writes template files that carry the promised shares and signals.

Files are generated for real into tmp directories and read back with pandas (and the
.xlsx with calamine, the reader the ETL uses), never inspected through the generator.
"""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from stdnum.fi import hetu

from demo import area as demo

TEMPLATE_DOC = Path(__file__).resolve().parents[2] / "docs" / "template.md"
SMALL = 0.02


def template_headers() -> list[str]:
    """Headers as docs/template.md lists them: the first cell of each table row."""
    rows = re.findall(r"^\| `([^`]+)` \|", TEMPLATE_DOC.read_text(encoding="utf-8"), re.M)
    assert rows, "no headers found in docs/template.md"
    return rows


def read_csv(path: Path) -> pd.DataFrame:
    frame = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    first = frame["Päivämäärä"].iloc[0]
    fmt = "%Y-%m-%d" if "-" in first else "%d.%m.%Y"
    frame["date"] = pd.to_datetime(frame["Päivämäärä"], format=fmt)
    return frame


def _as_csv_text(value: object) -> str:
    """A cell as the CSV files write it, so both readers' rows compare alike."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_xlsx(path: Path) -> pd.DataFrame:
    frame = pd.read_excel(path, engine="calamine", dtype=object)
    dates = pd.to_datetime(frame["Päivämäärä"])
    frame = frame.map(_as_csv_text)
    frame["date"] = dates
    return frame


def template_files(paths: list[Path]) -> list[Path]:
    """generate() ends with the 2022 legacy files (demo.legacy, own tests); these tests
    read the template files only."""
    return [p for p in paths if p.name.startswith("palautteet_")]


def read_all(paths: list[Path]) -> pd.DataFrame:
    paths = template_files(paths)
    parts = [read_csv(p) if p.suffix == ".csv" else read_xlsx(p) for p in paths]
    frame = pd.concat(parts, ignore_index=True)
    frame["month"] = frame["date"].dt.to_period("M")
    return frame


def expected_rows(scale: float, start=date(2023, 1, 1), end=date(2026, 10, 31)) -> float:
    months = pd.period_range(start, end, freq="M")
    season = sum(demo.SEASON_VOLUME[m.month - 1] for m in months)
    return sum(p.monthly for p in demo.PROFILES) * season * scale


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> tuple[list[Path], pd.DataFrame, list[tuple[float, str]]]:
    calls: list[tuple[float, str]] = []
    out = tmp_path_factory.mktemp("demo_small")
    paths = template_files(demo.generate(out, scale=SMALL, progress=lambda f, m="": calls.append((f, m))))
    return paths, read_all(paths), calls


@pytest.fixture(scope="module")
def large(tmp_path_factory) -> pd.DataFrame:
    """Big enough that a unit's month has dozens of comments, so signals beat noise."""
    return read_all(demo.generate(tmp_path_factory.mktemp("demo_large"), scale=0.4))


def test_one_csv_per_area_and_year_plus_one_xlsx(small):
    paths, _, _ = small
    names = {p.name for p in paths}
    expected = {f"palautteet_{demo.slug(a)}_{y}.csv" for a in demo.AREAS
                for y in range(2023, 2027)}
    assert names == expected | {"palautteet_osasto_5b_2025.xlsx"}
    assert "palautteet_paivystys_2024.csv" in names
    assert all(p.exists() and p.stat().st_size > 0 for p in paths)


def test_headers_match_the_template_exactly(small):
    paths, _, _ = small
    headers = template_headers()
    for p in paths:
        if p.suffix == ".csv":
            first = p.read_text(encoding="utf-8-sig").split("\n", 1)[0]
            assert first.split(";") == headers, p.name
        else:
            assert list(pd.read_excel(p, engine="calamine", nrows=0).columns) == headers


def test_both_date_formats_and_real_excel_dates(small):
    paths, _, _ = small
    firsts = [p.read_text(encoding="utf-8-sig").split("\n")[1].split(";")[0]
              for p in paths if p.suffix == ".csv"]
    assert any(re.fullmatch(r"\d{4}-\d{2}-\d{2}", f) for f in firsts)
    assert any(re.fullmatch(r"\d{1,2}\.\d{1,2}\.\d{4}", f) for f in firsts)
    xlsx = next(p for p in paths if p.suffix == ".xlsx")
    cells = pd.read_excel(xlsx, engine="calamine", dtype=object)["Päivämäärä"]
    assert all(hasattr(c, "year") for c in cells)


def test_every_row_sits_in_its_file_area_and_year(small):
    paths, _, _ = small
    for p in paths:
        if p.suffix != ".csv":
            continue
        frame = read_csv(p)
        area_slug, year = p.stem.removeprefix("palautteet_").rsplit("_", 1)
        assert {demo.slug(a) for a in frame["Palvelualue"]} == {area_slug}
        assert set(frame["date"].dt.year) == {int(year)}
    assert not (read_all(paths)["Yksikkö"].isin([u for _, u in demo.UNITS]) == False).any()


def test_row_count_follows_scale(small, tmp_path):
    _, rows, _ = small
    assert abs(len(rows) - expected_rows(SMALL)) < 0.06 * expected_rows(SMALL)
    double = read_all(demo.generate(tmp_path, scale=2 * SMALL))
    assert 1.8 < len(double) / len(rows) < 2.2


def test_full_scale_volume_is_at_least_150000():
    # Checked on the expectation, not by writing 160k rows in a unit test.
    assert expected_rows(1.0) >= 150_000


def test_units_and_areas_are_enough():
    assert len({a for a, _ in demo.UNITS}) >= 3
    assert len(demo.UNITS) >= 25
    for unit in ("Päivystys Järvilinna", "Osasto 5B", "Keskustan terveysasema"):
        assert unit in {u for _, u in demo.UNITS}


def test_shares_of_types_comments_languages_and_channels(small):
    _, rows, _ = small
    typed = rows.loc[rows["Tyyppi"] != "", "Tyyppi"]
    assert 0.75 < (typed == "kiitos").mean() < 0.85
    assert 0.35 < (rows["Palaute"] != "").mean() < 0.45
    lang = rows["Kieli"].value_counts(normalize=True)
    assert lang["fi"] > 0.85 and 0.04 < lang["sv"] < 0.10 and 0.01 < lang["en"] < 0.06
    assert set(rows["Kanava"]) == {"paperi", "kioski", "verkko", "sähköposti", "tekstiviesti"}


def test_scales_and_scores_are_in_range(small):
    _, rows, _ = small
    scored = rows[rows["Arvio"] != ""]
    bounds = {"1-5": (1, 5), "4-10": (4, 10), "hymiö4": (1, 4)}
    assert set(scored["Asteikko"]) == set(bounds)
    for scale, (lo, hi) in bounds.items():
        values = scored.loc[scored["Asteikko"] == scale, "Arvio"].astype(float)
        assert values.between(lo, hi).all() and values.nunique() > 2, scale
    assert (rows.loc[rows["Kanava"] == "kioski", "Asteikko"] == "hymiö4").all()
    nps = rows.loc[rows["Suosittelu"] != ""]
    assert set(nps["Kanava"]) == {"verkko"}
    assert nps["Suosittelu"].astype(float).between(0, 10).all()


def test_reply_is_wanted_for_some_complaints_and_questions_only(small):
    _, rows, _ = small
    wants = rows["Vastaus toivottu"] == "kyllä"
    assert set(rows.loc[wants, "Tyyppi"]) <= {"moite", "kysymys"}
    asked = rows["Tyyppi"].isin(["moite", "kysymys"])
    assert 0.08 < wants[asked].mean() < 0.22


def test_same_seed_same_files_other_seed_other_files(small, tmp_path):
    paths, rows, _ = small
    again = demo.generate(tmp_path / "a", scale=SMALL)
    for p, q in zip(paths, again):
        if p.suffix == ".csv":
            assert p.read_bytes() == q.read_bytes(), p.name
    xlsx = [p for p in paths if p.suffix == ".xlsx"][0]
    xlsx_again = [p for p in again if p.suffix == ".xlsx"][0]
    pd.testing.assert_frame_equal(read_xlsx(xlsx), read_xlsx(xlsx_again))
    other = read_all(demo.generate(tmp_path / "b", scale=SMALL, seed=7))
    assert not other["Palaute"].head(200).equals(rows["Palaute"].head(200))


def test_comments_vary_within_a_theme(small):
    _, rows, _ = small
    waiting = rows.loc[(rows["Tyyppi"] == "moite") & (rows["Kieli"] == "fi")
                       & rows["Palaute"].str.contains("odot|jono", case=False), "Palaute"]
    assert waiting.nunique() > 0.8 * len(waiting) and len(waiting) > 20
    words_seen = " ".join(rows["Palaute"]).lower()
    for word in ("odotusaika", "jonotusaika", "odottamaan", "jonottaa", "puhelim",
                 "takaisinsoitto", "pysäköin", "parkkipaikka", "toivoisin", "olisi hyvä"):
        assert word in words_seen, word


def test_some_comments_leak_identity_codes_phones_or_emails(large):
    comments = large["Palaute"]
    codes = comments.str.extractall(r"\b(\d{6}[-A]\d{3}[0-9A-Y])\b")[0]
    phones = comments.str.contains(r"\b0(?:40|50|44|45) \d{3} \d{4}\b")
    emails = comments.str.contains(r"@example\.fi")
    leaking = comments.str.contains(r"\d{6}[-A]\d{3}|@example\.fi|\b04\d \d{3} \d{4}")
    assert len(codes) > 0 and phones.any() and emails.any()
    assert all(hetu.is_valid(c) for c in codes)
    asked = large["Vastaus toivottu"] == "kyllä"
    # unsolicited leaks are rare; reply requests mostly carry contact details on purpose
    share = leaking[~asked].sum() / (comments[~asked] != "").sum()
    assert 0.0008 < share < 0.004
    assert 0.55 < leaking[asked].mean() < 0.85


def test_progress_reaches_one(small):
    _, _, calls = small
    fractions = [f for f, _ in calls]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0 and len(calls) > 3


def _complaint_share(rows: pd.DataFrame, unit: str, pattern: str) -> pd.Series:
    unit_rows = rows[rows["Yksikkö"] == unit]
    hit = (unit_rows["Tyyppi"] == "moite") & unit_rows["Palaute"].str.contains(pattern, case=False)
    return hit.groupby(unit_rows["month"]).mean()


def test_waiting_complaints_rise_in_jarvilinna_over_the_last_eight_months(large):
    share = _complaint_share(large, "Päivystys Järvilinna", r"odot|jono|vänt|wait|queue")
    last8 = share["2026-03":"2026-10"]
    before = share["2025-09":"2026-02"].mean()
    assert len(last8) == 8
    assert last8.iloc[-3:].mean() > 2 * before
    assert last8.iloc[-4:].mean() > 1.4 * last8.iloc[:4].mean()
    assert np.polyfit(np.arange(8), last8.to_numpy(), 1)[0] > 0
    scored = large[(large["Yksikkö"] == "Päivystys Järvilinna") & (large["Asteikko"] == "1-5")
                   & (large["Arvio"] != "")]
    mean = scored["Arvio"].astype(float).groupby(scored["month"]).mean()
    assert mean["2026-08":"2026-10"].mean() < mean["2025-09":"2026-02"].mean() - 0.4


def test_interaction_complaints_fall_on_osasto_5b_after_the_change(large):
    share = _complaint_share(large, "Osasto 5B",
                             r"tervehti|silmiin|nime|latina|ammattisanasto|esittäyty|skärm|jargon")
    before = share["2023-09":"2024-08"].mean()
    after = share["2024-09":"2025-08"].mean()
    assert after < 0.5 * before


def test_phone_complaints_peak_at_keskustan_terveysasema_in_autumn_2025(large):
    share = _complaint_share(large, "Keskustan terveysasema", r"puhel|soit|ring|phone|call")
    autumn = share["2025-08":"2025-11"].mean()
    assert autumn > 2 * share["2025-01":"2025-06"].mean()
    assert autumn > 2 * share["2026-01":"2026-06"].mean()
