"""A 4-button smiley's "Hyvä" counts as satisfied, whichever way the answers arrive."""
from __future__ import annotations

import pytest

from etl import pipeline
from etl.normalise.values import smiley4_to_5
from kokemus import db
from tests.conftest import write_template_csv


def test_buttons_map_to_one_two_four_five():
    assert [smiley4_to_5(x) for x in (1, 2, 3, 4)] == [1.0, 2.0, 4.0, 5.0]
    assert smiley4_to_5(2.5) == 3.0 and smiley4_to_5(3.5) == 4.5


@pytest.mark.parametrize("scale", ["hymiö4", "smiley4"])
def test_template_file_on_the_smiley_scale_counts_happy_faces_as_satisfied(tmp_db, tmp_path, scale):
    rows = [{"Päivämäärä": f"{d}.3.2025", "Yksikkö": "Päivystys", "Kanava": "kiosk", "Asteikko": scale,
             "Arvio": str(button)} for d, button in enumerate((1, 2, 3, 4, 3, 4), start=1)]
    result = pipeline.import_file(write_template_csv(tmp_path / "kioski.csv", rows), db_path=tmp_db)
    assert result.rows_loaded == 6
    with db.connect(tmp_db) as con:
        scores = [r[0] for r in con.execute("SELECT score_5 FROM responses ORDER BY submitted_on").fetchall()]
        satisfied, scored = con.execute("SELECT sum(satisfied), sum(scored) FROM monthly_rollup").fetchone()
    assert scores == [1.0, 2.0, 4.0, 5.0, 4.0, 5.0]
    assert (satisfied, scored) == (4, 6)
