"""cdr_custom and cdr_csv are two layouts of one system+entity: each file must be read with its own."""
import duckdb

from connectors.load import discover, load

# The cdr_custom default layout starts with the caller id (FORMATS.md §4.1, §7 sample #4).
CUSTOM = (
    '"""""" <client1>","client1","6789","default","PJSIP/client1-00000002","","Hangup","",'
    '"2023-07-26 01:51:32","2023-07-26 01:51:50","2023-07-26 01:52:04","31","13","ANSWERED","DOCUMENTATION","",'
    '"1690325492.2","",2\n'
    '"""Bob"" <79161234567>","79161234567","101","default","PJSIP/trunk-00000003","PJSIP/101-00000004","Dial","",'
    '"2023-07-26 02:00:00","","2023-07-26 02:00:20","20","0","NO ANSWER","DOCUMENTATION","",'
    '"1690326000.3","",3\n'
)


def test_cdr_custom_is_read_with_its_own_columns(tmp_path):
    path = tmp_path / "Master.csv"
    path.write_text(CUSTOM, encoding="utf-8")
    con = duckdb.connect()
    reports, _ = load(discover([str(path)]), con)
    assert (reports[0].system, reports[0].entity, reports[0].rows_loaded) == ("asterisk", "calls", 2)
    rows = con.execute(
        "SELECT started_at::VARCHAR, status, from_number, to_number, billsec, call_direction, is_answered "
        "FROM stg.calls ORDER BY _record").fetchall()
    assert rows == [
        # ANSWERED with lastapp Hangup: the dialplan answered and hung up, no person was dialled (issue 11)
        ("2023-07-26 01:51:32", "ANSWERED", "client1", "6789", 13.0, "internal", False),
        ("2023-07-26 02:00:00", "NO ANSWER", "79161234567", "101", 0.0, "inbound", False),
    ]
