"""Survey export signatures on in-memory header rows."""
from etl.detect.formats import detect_format, thl_statement


def test_signatures():
    assert detect_format([["ID", "Start time", "Completion time", "Email", "Q"]]).name == "msforms"
    assert detect_format([["Aikaleima", "Arvio"]]).name == "googleforms"
    assert detect_format([["record_id", "x_timestamp", "arvio", "x_complete"]]).name == "redcap"
    assert detect_format([["Otsikko"], ["Vastaajan numero", "Vastausaika", "Arvio"]]).header_row == 1
    hon = [["Date", "Survey", "Button"], ["2024-01-01", "S", "Very happy"]]
    assert detect_format(hon).name == "happyornot" and detect_format(hon).word_scale == "smiley4"
    assert detect_format([["Date", "Survey", "Button"], ["2024-01-01", "S", "7"]]) is None
    assert detect_format([["Pvm", "Arvio", "Palaute"]]) is None


def test_qualtrics_uses_second_row_and_skips_import_ids():
    rows = [["StartDate", "RecordedDate", "ResponseId", "Q1"],
            ["Start Date", "Recorded Date", "Response ID", "Arvio"],
            ['{"ImportId":"startDate"}', '{"ImportId":"recordedDate"}', '{"ImportId":"_recordId"}', '{"ImportId":"QID1"}']]
    m = detect_format(rows)
    assert (m.name, m.header_row, m.data_start) == ("qualtrics", 1, 3)
    assert m.mapping["Response ID"] == "external_id" and m.mapping["Recorded Date"] == "submitted_on"


def test_thl_statements_within_webropol():
    assert thl_statement("Koin hoitoni turvalliseksi") == "turvallisuus"
    rows = [["Vastaajan numero", "Vastausaika", "Kuinka todennäköisesti suosittelisit palvelua?",
             "Sain tietoa ymmärrettävästi", "Palvelusta oli minulle hyötyä"]]
    m = detect_format(rows)
    assert m.name == "webropol"
    assert m.mapping["Sain tietoa ymmärrettävästi"] == "question:tiedonsaanti"
    assert m.mapping["Palvelusta oli minulle hyötyä"] == "question:hyödyllisyys"
