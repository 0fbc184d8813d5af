"""The audit log's detail column in words, in each language, never JSON."""
import json

import pytest

from kokemus.auth.audit_detail import detail_text


@pytest.mark.parametrize("lang, text", [
    ("fi", "rooli: esihenkilö; yksiköt: Osasto 3A, Osasto 5B; palvelualueet: –; oma salasana: kyllä"),
    ("sv", "roll: chef; enheter: Osasto 3A, Osasto 5B; serviceområden: –; eget lösenord: "),
    ("en", "role: "),
])
def test_known_keys_in_the_reader_language(lang, text):
    stored = json.dumps({"role": "manager", "units": ["Osasto 3A", "Osasto 5B"], "areas": [], "local": True})
    shown = detail_text(stored, lang)
    assert shown.startswith(text) and "{" not in shown and '"' not in shown


def test_nested_and_unknown_keys_kept_and_odd_values_shown_as_stored():
    shown = detail_text(json.dumps({"from": "nurse", "to": "manager", "page": 2, "uusi_avain": "x"}), "en")
    assert shown.startswith("before: ") and "; page: 2; uusi_avain: x" in shown
    assert detail_text(None) == "" and detail_text("") == ""
    assert detail_text("ei json") == "ei json" and detail_text("[1, 2]") == "[1, 2]"
