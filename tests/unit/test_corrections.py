"""People teach the tagger (issue 13, item 4): a correction of a comment's themes and type
is stored (who, when, before, after), applied at once, kept across retag, and learned by a
per-organisation model that then tags new comments, with a reason that says so."""
from __future__ import annotations

import pytest

from etl import pipeline
from etl.store import corrections
from etl.store.retag import retag
from etl.themes import learned
from kokemus import db
from tests.conftest import write_template_csv


def _rows(texts: list[str], day: int = 1) -> list[dict]:
    return [{"Päivämäärä": f"{day + i % 27}.3.2024", "Yksikkö": "Osasto 7", "Arvio": str(1 + i % 5),
             "Palaute": text} for i, text in enumerate(texts)]


def _ids(con, text: str) -> int:
    return con.execute("SELECT response_id FROM responses WHERE comment = ?", [text]).fetchone()[0]


def _state(con, rid: int):
    ftype, themes = corrections.current_tags(con, rid)
    source = con.execute("SELECT type_source FROM responses WHERE response_id = ?", [rid]).fetchone()[0]
    return ftype, themes, source


@pytest.mark.parametrize("text,other", [
    ("Apotti kaatui kesken käynnin ja lääkäri ei nähnyt lähetettä.", "Kiitos hyvästä hoidosta!"),
    ("Apotti kraschade mitt i besöket och läkaren såg inte remissen.", "Tack för den goda vården!"),
    ("Apotti crashed during the visit and the doctor could not see my referral.", "Thank you for the good care!"),
], ids=["fi", "sv", "en"])
def test_correction_is_stored_applied_at_once_and_survives_retag(tmp_db, tmp_path, text, other):
    path = write_template_csv(tmp_path / "a.csv", _rows([text, other]))
    assert pipeline.import_file(path, db_path=tmp_db).status == "loaded"
    with db.writer(tmp_db) as con:
        rid = _ids(con, text)
        before_type, before_themes, _ = _state(con, rid)
        assert "digital" not in before_themes
        c = corrections.record_correction(con, rid, themes=["digital", "access"], feedback_type="complaint",
                                          who="Laatupäällikkö Liisa")
        assert (c.type_before, c.themes_before) == (before_type, before_themes)
        assert _state(con, rid) == ("complaint", ["access", "digital"], "corrected")
        # the rollups follow at once: the theme counts include the corrected theme
        assert con.execute("SELECT coalesce(sum(responses), 0) FROM theme_rollup WHERE theme = 'digital'"
                           ).fetchone()[0] >= 1
        hist = corrections.corrections_history(con, rid)
        assert hist["corrected_by"].tolist() == ["Laatupäällikkö Liisa"]
        assert hist["corrected_at"].notna().all()
        retag(con)
        assert _state(con, rid) == ("complaint", ["access", "digital"], "corrected")
        reason = con.execute("SELECT taxonomy_version FROM comment_tags WHERE response_id = ? AND theme = 'digital'",
                             [rid]).fetchone()[0]
        assert reason == "correction"


@pytest.mark.parametrize("bad", [dict(themes=["nosuch"], feedback_type=None),
                                 dict(themes=[], feedback_type="rant")])
def test_a_bad_correction_is_refused_and_changes_nothing(tmp_db, tmp_path, bad):
    path = write_template_csv(tmp_path / "a.csv", _rows(["Ruoka oli kylmää."]))
    assert pipeline.import_file(path, db_path=tmp_db).status == "loaded"
    with db.writer(tmp_db) as con:
        rid = _ids(con, "Ruoka oli kylmää.")
        before = _state(con, rid)
        with pytest.raises(corrections.CorrectionError):
            corrections.record_correction(con, rid, who="x", known_themes=["food", "care"], **bad)
        assert _state(con, rid) == before
        assert con.execute("SELECT count(*) FROM tag_corrections").fetchone()[0] == 0


# Comments about a new patient-records system the word lists do not know, in three
# languages, each worded differently, with unrelated comments around them.
RECORDS = ["Apotti jumitti taas koko aamun", "Apotti ei toiminut ja jonot kasvoivat", "Apotin takia kaikki viivästyi",
           "Apotti kaatuili koko päivän", "Hoitaja sanoi että Apotti on hidas", "Apotissa ei näkynyt lähetettäni",
           "Apotti-järjestelmä sekoitti ajanvaraukseni", "Apotti oli taas rikki"]
OTHER = ["Kiitos ystävällisestä hoidosta", "Ruoka oli hyvää", "Lääkäri selitti kaiken selkeästi",
         "Hoitajat olivat ihania", "Parkkipaikkoja oli liian vähän", "Odotin kolme tuntia",
         "Sain hyvää hoitoa", "Siisti ja rauhallinen osasto"]
RECORDS_SV = ["Apotti hängde sig hela förmiddagen", "Apotti fungerade inte och köerna växte", "Allt försenades på grund av Apotti",
              "Apotti kraschade hela dagen", "Sköterskan sa att Apotti är långsamt", "Min remiss syntes inte i Apotti",
              "Apotti blandade ihop min tidsbokning", "Apotti var trasigt igen"]
OTHER_SV = ["Tack för vänlig vård", "Maten var god", "Läkaren förklarade allt tydligt", "Sköterskorna var underbara",
            "Det fanns för få parkeringsplatser", "Jag väntade i tre timmar", "Jag fick god vård", "Rent och lugnt på avdelningen"]
RECORDS_EN = ["Apotti froze again all morning", "Apotti was down and the queues grew", "Everything was delayed because of Apotti",
              "Apotti kept crashing all day", "The nurse said Apotti is slow", "My referral did not show up in Apotti",
              "Apotti mixed up my booking", "Apotti was broken again"]
OTHER_EN = ["Thank you for the kind care", "The food was good", "The doctor explained everything clearly",
            "The nurses were lovely", "There were too few parking spaces", "I waited three hours",
            "I got good care", "A clean and quiet ward"]
NEW = {"fi": ("Apotti kaatui kesken vastaanoton", "Kiitos hyvästä palvelusta"),
       "sv": ("Apotti kraschade under mottagningen", "Tack för den goda servicen"),
       "en": ("Apotti crashed in the middle of my appointment", "Thank you for the good service")}


@pytest.mark.parametrize("lang,records,other", [("fi", RECORDS, OTHER), ("sv", RECORDS_SV, OTHER_SV),
                                                ("en", RECORDS_EN, OTHER_EN)], ids=["fi", "sv", "en"])
def test_learned_model_tags_new_comments_and_says_it_learned(tmp_db, tmp_path, lang, records, other):
    if not learned.available():
        pytest.skip("scikit-learn not installed")
    RECORDS, OTHER = records, other   # noqa: N806 - the same names as the Finnish lists
    path = write_template_csv(tmp_path / "a.csv", _rows(RECORDS + OTHER))
    assert pipeline.import_file(path, db_path=tmp_db).status == "loaded"
    with db.writer(tmp_db) as con:
        for text in RECORDS:
            rid = _ids(con, text)
            _, themes, _ = _state(con, rid)
            corrections.record_correction(con, rid, themes=sorted(set(themes) | {"digital"}),
                                          feedback_type="complaint", who="Liisa")
        for text in OTHER:
            rid = _ids(con, text)
            ftype, themes, _ = _state(con, rid)
            corrections.record_correction(con, rid, themes=themes, feedback_type=ftype, who="Liisa")
    new, thanks = NEW[lang]
    path2 = write_template_csv(tmp_path / "b.csv", _rows([new, thanks], day=5))
    assert pipeline.import_file(path2, db_path=tmp_db).status == "loaded"
    with db.connect(tmp_db) as con:
        rid = _ids(con, new)
        tags = con.execute("SELECT theme, taxonomy_version, triggers FROM comment_tags WHERE response_id = ?",
                           [rid]).fetchall()
        other = con.execute("SELECT theme FROM comment_tags WHERE response_id = ?",
                            [_ids(con, thanks)]).fetchall()
    assert ("digital", learned.LEARNED_VERSION, []) in [(t, v, list(tr)) for t, v, tr in tags]
    assert ("digital",) not in other


def test_cross_validation_reports_lexicon_and_combined():
    if not learned.available():
        pytest.skip("scikit-learn not installed")
    from etl.themes import Tagger
    texts = RECORDS + OTHER + [f"{t} ({i})" for i, t in enumerate(RECORDS + OTHER)]
    tagger = Tagger.default()
    gold = [["digital"] if any(t.startswith(r) for r in RECORDS) else tagger.tag(t).theme_keys for t in texts]
    out = learned.cross_validate(texts, gold, [None] * len(texts), tagger, folds=4)
    assert out["n"] == len(texts)
    assert out["combined_macro_f1"] > out["lexicon_macro_f1"]
