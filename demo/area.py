"""Demo data: a fictional wellbeing area's feedback, written as import files.

The demo warehouse is built by importing these files through the real ETL (``python -m
etl demo``), so the demo also exercises the readers, the template fast path, redaction and
the tagger; nothing is written into tables from here.

What is generated (see docs/demo-data.md for the numbers):

* "Järvi-Suomen hyvinvointialue": six service areas, 27 units (``UNITS``), monthly
  volumes with seasons (fewer answers in July, more in the flu months) and unit
  differences in complaint rate, channel mix and scale (1-5, the 4-10 school grade, a
  4-button smiley ``hymiö4`` on kiosk terminals, NPS 0-10 on web answers).
* About 80 % praise; about 40 % of responses with a comment composed by
  :mod:`demo.comments`; ~0.2 % of comments leak a phone number, e-mail or a
  (checksum-valid, fictional) personal identity code for the redactor to find.
* A summer staffing dip every year (June-August): more complaints, more of them about
  staffing, and lower scores.

Planted signals, so the SPC charts and theme views have something true to find:

1. **Päivystys Järvilinna, 2026-03 .. 2026-10**: complaints about waiting and queues
   (theme ``access``) rise month by month and scores fall.
2. **Osasto 5B, from 2024-09**: interaction complaints (greeting, eye contact, names,
   jargon) fall clearly after a "you said, we did" change; before it they were the
   ward's most common complaint.
3. **Keskustan terveysasema, 2025-08 .. 2025-11**: a phone-reachability problem
   (theme ``phone``: no answer, late call-backs) with more complaints.

Everything is drawn from one ``numpy.random.default_rng(seed)`` in a fixed order, so the
same seed gives byte-identical files.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from demo import comments as words

ORGANISATION = "Järvi-Suomen hyvinvointialue"
HEADERS = ("Päivämäärä", "Yksikkö", "Palvelualue", "Kanava", "Kieli", "Arvio", "Asteikko",
           "Suosittelu", "Tyyppi", "Palaute", "Vastaus toivottu", "Vastaus-ID")

CHANNELS = ("paper", "kiosk", "web", "email", "sms")
CHANNEL_LABELS = ("paperi", "kioski", "verkko", "sähköposti", "tekstiviesti")
TYPE_LABELS = ("kiitos", "moite", "kehitysehdotus", "kysymys")  # order of words.KINDS
LANGUAGE_SHARES = (0.90, 0.07, 0.03)                              # order of words.LANGS

# The unit written to an .xlsx file instead of its area's CSV, so both readers are used.
XLSX_UNIT, XLSX_YEAR = "Osasto 5B", 2025


@dataclass(frozen=True)
class UnitProfile:
    area: str
    name: str
    monthly: float        # mean responses per month at scale 1.0
    scale: str            # the unit's paper/web form scale: "1-5" or "4-10"
    kiosk: float          # share of answers from smiley terminals
    complaint: float      # base probability that an answer is a complaint
    place: str            # Finnish inessive for "I was ... <place>"


_P, _V, _K, _T, _M, _L = ("Päivystys", "Vuodeosastot", "Poliklinikat", "Perusterveydenhuolto",
                          "Psykiatria", "Lasten ja nuorten palvelut")
PROFILES: tuple[UnitProfile, ...] = (
    UnitProfile(_P, "Päivystys Järvilinna", 420, "1-5", 0.30, 0.13, "päivystyksessä"),
    UnitProfile(_P, "Lasten päivystys Järvilinna", 150, "1-5", 0.25, 0.11, "lasten päivystyksessä"),
    UnitProfile(_P, "Päivystys Rantakylä", 130, "1-5", 0.0, 0.12, "päivystyksessä"),
    UnitProfile(_V, "Osasto 3A", 90, "1-5", 0.0, 0.09, "osastolla"),
    UnitProfile(_V, "Osasto 3B", 80, "1-5", 0.0, 0.10, "osastolla"),
    UnitProfile(_V, "Osasto 4A", 85, "1-5", 0.0, 0.08, "osastolla"),
    UnitProfile(_V, "Osasto 5B", 110, "1-5", 0.0, 0.10, "osastolla"),
    UnitProfile(_V, "Osasto 6C", 70, "1-5", 0.0, 0.12, "osastolla"),
    UnitProfile(_V, "Synnytysosasto", 100, "1-5", 0.0, 0.06, "synnytysosastolla"),
    UnitProfile(_K, "Kirurgian poliklinikka", 200, "1-5", 0.20, 0.09, "poliklinikalla"),
    UnitProfile(_K, "Sisätautien poliklinikka", 150, "1-5", 0.0, 0.09, "poliklinikalla"),
    UnitProfile(_K, "Silmäpoliklinikka", 120, "1-5", 0.0, 0.07, "silmäpoliklinikalla"),
    UnitProfile(_K, "Naistentautien poliklinikka", 90, "1-5", 0.0, 0.08, "poliklinikalla"),
    UnitProfile(_T, "Keskustan terveysasema", 380, "1-5", 0.35, 0.12, "terveysasemalla"),
    UnitProfile(_T, "Harjulan terveysasema", 220, "1-5", 0.30, 0.10, "terveysasemalla"),
    UnitProfile(_T, "Rantakylän terveysasema", 180, "1-5", 0.0, 0.11, "terveysasemalla"),
    UnitProfile(_T, "Kirkonkylän terveysasema", 120, "1-5", 0.0, 0.08, "terveysasemalla"),
    UnitProfile(_T, "Suonlahden terveysasema", 90, "1-5", 0.0, 0.09, "terveysasemalla"),
    UnitProfile(_T, "Keskustan hammashoitola", 160, "1-5", 0.25, 0.10, "hammashoitolassa"),
    UnitProfile(_T, "Kotisairaala", 50, "1-5", 0.0, 0.05, "kotisairaalassa"),
    UnitProfile(_M, "Psykiatrian poliklinikka", 110, "4-10", 0.0, 0.12, "psykiatrian poliklinikalla"),
    UnitProfile(_M, "Psykiatrinen osasto P2", 40, "1-5", 0.0, 0.15, "osastolla"),
    UnitProfile(_M, "Mielenterveys- ja päihdeasema Keskusta", 90, "4-10", 0.0, 0.11, "vastaanotolla"),
    UnitProfile(_L, "Lastenosasto L1", 70, "1-5", 0.0, 0.07, "lastenosastolla"),
    UnitProfile(_L, "Lasten poliklinikka", 90, "1-5", 0.0, 0.08, "lasten poliklinikalla"),
    UnitProfile(_L, "Neuvola Keskusta", 110, "4-10", 0.0, 0.06, "neuvolassa"),
    UnitProfile(_L, "Koulu- ja opiskeluterveydenhuolto", 100, "4-10", 0.15, 0.08, "kouluterveydenhoitajalla"),
)
UNITS: list[tuple[str, str]] = [(p.area, p.name) for p in PROFILES]
AREAS: tuple[str, ...] = tuple(dict.fromkeys(p.area for p in PROFILES))

SIGNAL_ACCESS = ("Päivystys Järvilinna", date(2026, 3, 1), date(2026, 10, 1))
SIGNAL_INTERACTION = ("Osasto 5B", date(2024, 9, 1))
SIGNAL_PHONE = ("Keskustan terveysasema", date(2025, 8, 1), date(2025, 11, 1))

# Volume by calendar month: summer holidays thin the answers, the flu months fill them.
SEASON_VOLUME = np.array([1.08, 1.05, 1.05, 1.0, 1.0, 0.95, 0.70, 0.85, 1.05, 1.08, 1.10, 0.95])
# Extra strain by calendar month: summer substitutes and closed beds.
SEASON_STRAIN = np.array([0.05, 0, 0, 0, 0, 0.15, 0.40, 0.25, 0, 0, 0.05, 0.10])

# Complaint theme weights (order of words.THEMES) by service area.
_BASE_COMPLAINT = np.array([.20, .09, .05, .15, .12, .10, .03, .04, .06, .04, .03, .05, .02, .02])
_AREA_TILT = {
    _P: {"access": 2.0, "parking": 1.5, "food": 1.2},
    _V: {"food": 2.5, "relatives": 2.0, "staffing": 1.5, "facilities": 1.5, "access": 0.3,
         "phone": 0.4},
    _K: {"access": 1.3, "billing": 2.0, "parking": 1.5, "communication": 1.2},
    _T: {"phone": 2.0, "digital": 2.0, "access": 1.3, "food": 0.1},
    _M: {"interaction": 1.6, "access": 1.4, "relatives": 1.3, "food": 0.5, "parking": 0.4},
    _L: {"relatives": 1.5, "communication": 1.3, "food": 0.7},
}
_PRAISE_WEIGHTS = np.array([.07, .02, .02, .30, .07, .28, .02, .04, .13, .02, .02, .005, .005, .01])

# Probability that a response has a comment, by channel and type.
_COMMENT_BY_CHANNEL = np.array([0.41, 0.06, 0.41, 0.97, 0.24])
_NO_SCORE_BY_CHANNEL = np.array([0.05, 0.0, 0.03, 0.65, 0.0])

# Score (1..5) distributions by type: praise, complaint, suggestion, question.
_SCORE_P = np.array([
    [0.00, 0.01, 0.06, 0.31, 0.62],
    [0.30, 0.33, 0.27, 0.08, 0.02],
    [0.05, 0.15, 0.35, 0.35, 0.10],
    [0.03, 0.10, 0.30, 0.37, 0.20],
])
PII_SHARE = 0.002

Progress = Callable[[float, str], None]


def generate(out_dir: Path, *, seed: int = 2026, start: date = date(2023, 1, 1),
             end: date = date(2026, 10, 31), scale: float = 1.0,
             progress: Progress | None = None) -> list[Path]:
    """Write the demo files into ``out_dir`` and return their paths (CSV per service area
    and year, plus one .xlsx unit-year, then the 2022 legacy files of
    :mod:`demo.legacy`). Same seed and arguments -> identical files."""
    report = progress or (lambda fraction, message="": None)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    report(0.0, "demo: responses")
    rows = simulate(rng, start=start, end=end, scale=scale)
    report(0.5, "demo: files")
    paths = _write_files(rows, out_dir, report)
    from demo.legacy import write_legacy_samples   # it imports this module
    return paths + write_legacy_samples(out_dir, seed=seed, scale=scale)


# ------------------------------------------------------------------ simulation
def _months(start: date, end: date) -> list[date]:
    out, y, m = [], start.year, start.month
    while date(y, m, 1) <= end:
        out.append(date(y, m, 1))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _month_windows(months: list[date], start: date, end: date) -> tuple[np.ndarray, np.ndarray]:
    """First day (as datetime64[D]) and number of days of each month inside start..end."""
    first, days = [], []
    for m in months:
        nxt = date(m.year + (m.month == 12), m.month % 12 + 1, 1)
        lo, hi = max(m, start), min(nxt, date.fromordinal(end.toordinal() + 1))
        first.append(np.datetime64(lo, "D"))
        days.append(max((hi - lo).days, 0))
    return np.array(first), np.array(days)


def _strain_and_themes(months: list[date]) -> tuple[np.ndarray, np.ndarray]:
    """Per unit x month: strain (raises complaints, lowers scores) and complaint theme
    weights. The planted signals live here and nowhere else."""
    n_u, n_m, n_t = len(PROFILES), len(months), len(words.THEMES)
    month_no = np.array([m.month for m in months])
    strain = np.tile(SEASON_STRAIN[month_no - 1], (n_u, 1)).astype(float)
    themes = np.empty((n_u, n_m, n_t))
    staffing = words.THEME_INDEX["staffing"]
    for u, p in enumerate(PROFILES):
        w = _BASE_COMPLAINT.copy()
        for theme, factor in _AREA_TILT[p.area].items():
            w[words.THEME_INDEX[theme]] *= factor
        themes[u] = w
        themes[u, :, staffing] *= 1 + 6 * SEASON_STRAIN[month_no - 1]
    names = [p.name for p in PROFILES]
    t = words.THEME_INDEX

    unit, first, last = SIGNAL_ACCESS
    u = names.index(unit)
    for k, m in enumerate(months):
        if first <= m <= last:
            step = (m.year - first.year) * 12 + m.month - first.month + 1   # 1..8
            strain[u, k] += 0.15 * step
            themes[u, k, t["access"]] *= 1 + 0.6 * step

    unit, change = SIGNAL_INTERACTION
    u = names.index(unit)
    for k, m in enumerate(months):
        if m < change:
            strain[u, k] += 0.45
            themes[u, k, t["interaction"]] *= 5.0
        else:
            themes[u, k, t["interaction"]] *= 0.5

    unit, first, last = SIGNAL_PHONE
    u = names.index(unit)
    for k, m in enumerate(months):
        if first <= m <= last:
            strain[u, k] += 0.70
            themes[u, k, t["phone"]] *= 8.0

    themes /= themes.sum(axis=2, keepdims=True)
    return strain, themes


def _sample_rows(rng: np.random.Generator, probs: np.ndarray) -> np.ndarray:
    """One category per row from a row-wise probability matrix (inverse CDF, vectorised)."""
    cum = np.cumsum(probs, axis=1)
    u = rng.random(len(probs))[:, None] * cum[:, -1:]
    return np.minimum((u > cum).sum(axis=1), probs.shape[1] - 1)


def simulate(rng: np.random.Generator, *, start: date, end: date, scale: float) -> pd.DataFrame:
    """All responses as one frame in template columns (plus ``_area``/``_year`` helpers)."""
    months = _months(start, end)
    first_day, n_days = _month_windows(months, start, end)
    month_no = np.array([m.month for m in months])
    full_days = np.array([(date(m.year + (m.month == 12), m.month % 12 + 1, 1) - m).days
                          for m in months])
    monthly = np.array([p.monthly for p in PROFILES])
    lam = monthly[:, None] * SEASON_VOLUME[month_no - 1][None, :] * (n_days / full_days) * scale
    counts = rng.poisson(lam)
    cell = np.repeat(np.arange(counts.size), counts.ravel())
    u_idx, m_idx = cell // len(months), cell % len(months)
    n = len(cell)

    day = (rng.random(n) * n_days[m_idx]).astype(int)
    submitted = first_day[m_idx] + day.astype("timedelta64[D]")

    strain_um, themes_um = _strain_and_themes(months)
    strain = strain_um[u_idx, m_idx]
    base_c = np.array([p.complaint for p in PROFILES])[u_idx]
    p_complaint = np.minimum(base_c * np.exp(strain), 0.6)
    draw = rng.random(n)
    kind = np.where(draw < p_complaint, 1,
                    np.where(draw < p_complaint + 0.05, 2,
                             np.where(draw < p_complaint + 0.08, 3, 0)))

    kiosk = np.array([p.kiosk for p in PROFILES])
    rest = np.array([0.35, 0.0, 0.35, 0.05, 0.25])
    channel_p = (1 - kiosk)[:, None] * rest[None, :]
    channel_p[:, 1] = kiosk
    channel = _sample_rows(rng, channel_p[u_idx])
    lang = _sample_rows(rng, np.tile(LANGUAGE_SHARES, (n, 1)))

    # Scores: by type, then pushed down where the unit is under strain.
    score5 = _sample_rows(rng, _SCORE_P[kind]) + 1
    score5 = np.maximum(score5 - (rng.random(n) < 0.3 * strain), 1)
    has_score = rng.random(n) >= _NO_SCORE_BY_CHANNEL[channel]

    unit_scale = np.array([p.scale for p in PROFILES], dtype=object)[u_idx]
    is_kiosk = channel == 1
    scale_label = np.where(is_kiosk, "hymiö4", unit_scale)
    grade = np.clip(np.rint(4 + (score5 - 1) * 1.5 + rng.normal(0, 0.6, n)), 4, 10).astype(int)
    smiley = np.clip(np.rint(1 + (score5 - 1) * 0.75 + rng.normal(0, 0.3, n)), 1, 4).astype(int)
    raw = np.where(is_kiosk, smiley, np.where(unit_scale == "4-10", grade, score5))
    raw_text = np.where(has_score, raw.astype(str), "")

    nps = np.clip(np.rint((score5 - 1) * 2.5 + rng.normal(0, 1.2, n)), 0, 10).astype(int)
    has_nps = (channel == 2) & (rng.random(n) >= 0.05)
    nps_text = np.where(has_nps, nps.astype(str), "")

    # Comments: suggestions and questions nearly always carry one, complaints more often.
    p_comment = _COMMENT_BY_CHANNEL[channel].copy()
    p_comment = np.where(kind == 1, np.minimum(p_comment * 1.5, 0.97), p_comment)
    p_comment = np.where((kind >= 2) & ~is_kiosk, 0.97, p_comment)
    has_comment = rng.random(n) < p_comment
    praise_w = np.tile(_PRAISE_WEIGHTS, (n, 1))
    theme = np.where(kind == 0, _sample_rows(rng, praise_w),
                     _sample_rows(rng, themes_um[u_idx, m_idx]))
    second = np.full(n, -1)
    mix_draw = rng.random(n)
    mix_c = np.array([words.THEME_INDEX[t] for t in words.MIX_COMPLAINT_THEMES])
    mix_p = np.array([words.THEME_INDEX[t] for t in words.MIX_PRAISE_THEMES])
    pick_c = mix_c[rng.integers(0, len(mix_c), n)]
    pick_p = mix_p[rng.integers(0, len(mix_p), n)]
    second = np.where((kind == 0) & (mix_draw < 0.12), pick_c, second)
    second = np.where((kind == 1) & (mix_draw < 0.15), pick_p, second)
    pii = rng.random(n) < PII_SHARE

    places = np.array([p.place for p in PROFILES], dtype=object)[u_idx]
    c = np.flatnonzero(has_comment)
    comments = np.full(n, "", dtype=object)
    comments[c] = words.compose(rng, lang=lang[c], kind=kind[c], theme=theme[c],
                                second_theme=second[c], place=places[c].tolist(), pii=pii[c])

    # Smiley terminals ask no type; a typed comment there gets one from the nurse later.
    type_text = np.array(TYPE_LABELS, dtype=object)[kind]
    type_text = np.where(is_kiosk & ~has_comment, "", type_text)
    wants = (kind == 1) | (kind == 3)
    wants_reply = np.where(wants & (rng.random(n) < 0.15) & has_comment, "kyllä", "ei")
    wants_reply = np.where(is_kiosk, "", wants_reply)

    external = np.full(n, "", dtype=object)
    platform = np.flatnonzero((channel == 2) | (channel == 4))
    years = submitted.astype("datetime64[Y]").astype(int) + 1970
    prefix = np.where(channel[platform] == 2, "W", "S")
    external[platform] = [f"{p}{y}-{i:07d}" for p, y, i in
                          zip(prefix.tolist(), years[platform].tolist(), platform.tolist())]

    names = np.array([p.name for p in PROFILES], dtype=object)
    areas = np.array([p.area for p in PROFILES], dtype=object)
    frame = pd.DataFrame({
        "Päivämäärä": submitted,
        "Yksikkö": names[u_idx],
        "Palvelualue": areas[u_idx],
        "Kanava": np.array(CHANNEL_LABELS, dtype=object)[channel],
        "Kieli": np.array(words.LANGS, dtype=object)[lang],
        "Arvio": raw_text,
        "Asteikko": scale_label,
        "Suosittelu": nps_text,
        "Tyyppi": type_text,
        "Palaute": comments,
        "Vastaus toivottu": wants_reply,
        "Vastaus-ID": external,
    })
    frame["_year"] = years
    _leave_contact_details(rng, frame, lang)
    return frame.sort_values(["Palvelualue", "Päivämäärä", "Yksikkö"], kind="stable",
                             ignore_index=True)


REPLY_CONTACT_SHARE = 0.7
_CONTACT_LINES = {
    "fi": ("Soittakaa minulle: {phone}.", "Vastaus sähköpostiin {email}, kiitos.",
           "Tavoitatte minut numerosta {phone} arkisin."),
    "sv": ("Ring mig: {phone}.", "Svara gärna till {email}."),
    "en": ("Please call me: {phone}.", "Reply to {email}, please."),
}


def _leave_contact_details(rng: np.random.Generator, frame: pd.DataFrame, lang: np.ndarray) -> None:
    """Most people who ask for a reply leave a phone number or an e-mail address in the
    comment (the form has no field for it). Drawn after every other draw, so the rest of
    the demo does not change with it."""
    asks = np.flatnonzero((frame["Vastaus toivottu"] == "kyllä").to_numpy())
    leave = asks[rng.random(len(asks)) < REPLY_CONTACT_SHARE]
    draws = rng.integers(0, 2**31, len(leave))
    comments = frame["Palaute"].to_numpy(dtype=object)
    for i, draw in zip(leave.tolist(), draws.tolist()):
        lines = _CONTACT_LINES[words.LANGS[lang[i]]]
        line = lines[draw % len(lines)].format(phone=words._fake_phone(draw // 7),
                                               email=words._fake_email(draw // 7))
        comments[i] = f"{comments[i].rstrip()} {line}"
    frame["Palaute"] = comments


# ------------------------------------------------------------------ files
def slug(text: str) -> str:
    """File-name form of a Finnish name: 'Päivystys' -> 'paivystys'."""
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "_".join("".join(ch if ch.isalnum() else " " for ch in ascii_.lower()).split())


def _uses_finnish_dates(area: str, year: int) -> bool:
    """Half the files in d.M.yyyy (and with a BOM, as Excel saves them), half ISO."""
    return (AREAS.index(area) + year) % 2 == 1


def _write_files(rows: pd.DataFrame, out_dir: Path, report: Progress) -> list[Path]:
    xlsx_mask = (rows["Yksikkö"] == XLSX_UNIT) & (rows["_year"] == XLSX_YEAR)
    groups = list(rows[~xlsx_mask].groupby(["Palvelualue", "_year"], sort=False))
    paths: list[Path] = []
    total = len(groups) + 1
    for i, ((area, year), part) in enumerate(groups):
        path = out_dir / f"palautteet_{slug(area)}_{year}.csv"
        out = part.loc[:, list(HEADERS)].copy()
        d = out["Päivämäärä"]
        if _uses_finnish_dates(area, int(year)):
            out["Päivämäärä"] = (d.dt.day.astype(str) + "." + d.dt.month.astype(str) + "."
                                 + d.dt.year.astype(str))
            encoding = "utf-8-sig"
        else:
            out["Päivämäärä"] = d.dt.strftime("%Y-%m-%d")
            encoding = "utf-8"
        out.to_csv(path, sep=";", index=False, encoding=encoding, lineterminator="\n")
        paths.append(path)
        report(0.5 + 0.5 * (i + 1) / total, path.name)
    xlsx = out_dir / f"palautteet_{slug(XLSX_UNIT)}_{XLSX_YEAR}.xlsx"
    if xlsx_mask.any():
        _write_xlsx(rows[xlsx_mask], xlsx)
        paths.append(xlsx)
    report(1.0, xlsx.name)
    return paths


def _write_xlsx(rows: pd.DataFrame, path: Path) -> None:
    """Real Excel cells: dates as dates and scores as numbers, as a nurse's sheet has."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Palautteet")
    ws.append(list(HEADERS))
    numeric = {"Arvio", "Suosittelu"}
    records = rows.loc[:, list(HEADERS)].to_dict("records")
    for rec in records:
        line = []
        for h in HEADERS:
            v = rec[h]
            if h == "Päivämäärä":
                cell = WriteOnlyCell(ws, value=v.date())
                cell.number_format = "d.m.yyyy"
                line.append(cell)
            elif h in numeric:
                line.append(int(v) if v != "" else None)
            else:
                line.append(v if v != "" else None)
        ws.append(line)
    wb.save(path)
