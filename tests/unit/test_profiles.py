"""Saved mappings: --map parsing, TOML round trip, reuse by header signature."""
import pytest

from etl.contract import ImportError_
from etl.parse import parse_file
from etl.detect.profiles import find_profile, header_signature, parse_map_options, save_profile
from tests import corpus


def test_parse_map_options():
    assert parse_map_options(["Arvio=x=score", "Risut=comment", "Q7=question:odotus"]) == {
        "Arvio=x": "score", "Risut": "comment", "Q7": "question:odotus"}
    with pytest.raises(ImportError_) as e:
        parse_map_options(["Arvio=pisteet"])
    assert e.value.code == "bad_mapping"


def test_signature_ignores_case_not_order():
    assert header_signature(["Pvm", "Arvio"]) == header_signature([" pvm ", "ARVIO"])
    assert header_signature(["Pvm", "Arvio"]) != header_signature(["Arvio", "Pvm"])


def test_profile_round_trip(tmp_path):
    save_profile("Huolto lista", "abc", {"Kerta": "ignore", "Merkintä": "comment"}, tmp_path)
    p = find_profile("abc", tmp_path)
    assert p.name == "Huolto lista" and p.columns == {"Kerta": "ignore", "Merkintä": "comment"}
    assert find_profile("zzz", tmp_path) is None
    (tmp_path / "broken.toml").write_text("not = [toml", encoding="utf-8")
    assert find_profile("abc", tmp_path).name == "Huolto lista"


def test_saved_profile_reused_for_same_header(tmp_path, monkeypatch):
    monkeypatch.setenv("KOKEMUS_PROFILES", str(tmp_path / "profiles"))
    path = corpus.unit_sheets(tmp_path)
    signature = parse_file(path).header_signature
    save_profile("Arvosanat", signature, {"Päivämäärä": "submitted_on", "Arvosana": "nps",
                                          "Kommentti": "comment"})
    pf = parse_file(path)
    assert pf.format == "profile:Arvosanat" and pf.profile == "Arvosanat"
    assert pf.frame["nps"].tolist()[:3] == [9, 7, 10]
