"""Salesforce, HubSpot and Pipedrive exports: recognised apart from each other and from the
generic profiles, and typed right in stg (deal state from flags / status, loss reasons)."""
from __future__ import annotations

import csv
import datetime as dt

import duckdb
import openpyxl
import pytest

from connectors import registry
from connectors.load import discover, load
from connectors.sniff import peek


def _csv(path, header, rows, delimiter=","):
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter=delimiter)
        w.writerow(header)
        w.writerows(rows)
    return path


def _xlsx(path, header, rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Deals" if "Deal Name" in header else "Export"
    ws.append(header)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def _load(*paths):
    con = duckdb.connect()
    reports, counts = load(discover([str(p) for p in paths]), con)
    return con, reports, counts


def _only(path, system, entity):
    """Detected as system/entity, with no other system/entity within the ambiguity margin."""
    sample = peek(path)
    best, problem = registry.detect(sample)
    assert problem is None, problem
    assert (best.system, best.entity) == (system, entity)
    others = [d for d in registry.rank(sample) if (d.system, d.entity) != (system, entity)]
    assert not others or best.confidence - others[0].confidence >= registry.MARGIN, others[0]
    return best


def _states(con):
    return dict(con.execute("SELECT state, count(*) FROM stg.deals GROUP BY ALL").fetchall())


# ---------------------------------------------------------------------------------------- Salesforce

SF_OPP_HEADER = ["Id", "IsDeleted", "AccountId", "Name", "StageName", "Amount", "Probability", "CloseDate", "Type",
                 "LeadSource", "IsClosed", "IsWon", "ForecastCategoryName", "OwnerId", "CreatedDate", "CreatedById",
                 "LastModifiedDate", "LastModifiedById", "Closed_Lost_Reason__c"]
SF_OPP_ROWS = [
    ["0065g00000AbCdEAA1", "false", "0015g00000XyZ01AAA", "Acme - 200 licences", "Closed Won", "24000", "100",
     "2024-01-15", "New Customer", "Web", "true", "true", "Closed", "0055g000001OwnAAA", "2023-11-02T09:15:00.000Z",
     "0055g000001OwnAAA", "2024-01-15T16:00:00.000Z", "0055g000001OwnAAA", ""],
    ["0065g00000AbCdEAA2", "false", "0015g00000XyZ02AAA", "Globex renewal", "Closed Lost", "12000.50", "0",
     "2024-02-01", "Existing Customer", "Partner Referral", "true", "false", "Omitted", "0055g000001OwnAAA",
     "2023-12-10T11:00:00.000Z", "0055g000001OwnAAA", "2024-02-01T10:00:00.000Z", "0055g000001OwnAAA", "Price"],
    ["0065g00000AbCdEAA3", "false", "0015g00000XyZ03AAA", "Initech pilot", "Prospecting", "5000", "10",
     "2024-06-30", "New Customer", "Cold Call", "false", "false", "Pipeline", "0055g000001OwnBBB",
     "2024-03-01T08:00:00.000Z", "0055g000001OwnBBB", "2024-03-01T08:00:00.000Z", "0055g000001OwnBBB", ""],
    ["0065g00000AbCdEAA4", "false", "0015g00000XyZ04AAA", "Umbrella expansion", "Negotiation/Review", "80000", "90",
     "2024-05-31", "Existing Customer", "Web", "false", "false", "Commit", "0055g000001OwnBBB",
     "2024-02-20T08:00:00.000Z", "0055g000001OwnBBB", "2024-04-01T08:00:00.000Z", "0055g000001OwnBBB", ""],
    # custom stage names: only the flags tell won from lost
    ["0065g00000AbCdEAA5", "false", "0015g00000XyZ05AAA", "Stark deal", "Contract Signed", "15000", "100",
     "2024-03-15", "New Customer", "Web", "1", "1", "Closed", "0055g000001OwnBBB",
     "2024-01-20T08:00:00.000Z", "0055g000001OwnBBB", "2024-03-15T08:00:00.000Z", "0055g000001OwnBBB", ""],
    ["0065g00000AbCdEAA6", "false", "0015g00000XyZ06AAA", "Wayne deal", "No Decision", "9000", "0",
     "2024-03-20", "New Customer", "Web", "1", "0", "Omitted", "0055g000001OwnBBB",
     "2024-01-25T08:00:00.000Z", "0055g000001OwnBBB", "2024-03-20T08:00:00.000Z", "0055g000001OwnBBB", "No budget"],
]


def test_salesforce_opportunity_api_names(tmp_path):
    path = _csv(tmp_path / "Opportunity.csv", SF_OPP_HEADER, SF_OPP_ROWS)
    _only(path, "salesforce", "deals")
    con, (rep,), counts = _load(path)
    assert (rep.system, rep.entity, rep.problem) == ("salesforce", "deals", None)
    assert (rep.rows_read, rep.rows_loaded, rep.rows_rejected) == (6, 6, 0)
    assert rep.mapped["loss_reason"] == ["Closed_Lost_Reason__c"]
    assert rep.mapped["is_won"] == ["IsWon"] and rep.mapped["is_closed"] == ["IsClosed"]
    assert counts["deals"] == 6
    assert _states(con) == {"won": 2, "lost": 2, "open": 2}
    rows = con.execute(
        """SELECT record_id, state, amount, probability, loss_reason, created_at, closed_at, company_id, source
           FROM stg.deals ORDER BY _record""").fetchall()
    assert rows[0] == ("0065g00000AbCdEAA1", "won", 24000.0, 100.0, None, dt.datetime(2023, 11, 2, 9, 15),
                       dt.datetime(2024, 1, 15), "0015g00000XyZ01AAA", "Web")
    assert rows[1][1:5] == ("lost", 12000.5, 0.0, "Price")
    assert [r[1] for r in rows[4:]] == ["won", "lost"]
    assert rows[5][4] == "No budget"


def test_salesforce_opportunity_report_labels(tmp_path):
    path = _csv(tmp_path / "report1700000000.csv",
                ["Opportunity Owner", "Account Name", "Opportunity Name", "Stage", "Fiscal Period", "Amount",
                 "Probability (%)", "Age", "Close Date", "Created Date", "Next Step", "Lead Source", "Type"],
                [["Ann Lee", "Acme", "Acme - 200", "Closed Won", "Q1-2024", "24,000.00", "100", "74", "1/15/2024",
                  "11/2/2023", "", "Web", "New Customer"],
                 ["Ann Lee", "Globex", "Globex renewal", "Closed Lost", "Q1-2024", "12,000.00", "0", "53", "2/1/2024",
                  "12/10/2023", "", "Partner", "Existing Customer"],
                 ["Bob Ray", "Initech", "Initech pilot", "Prospecting", "Q2-2024", "5,000.00", "10", "20", "6/30/2024",
                  "3/1/2024", "Demo", "Cold Call", "New Customer"]])
    _only(path, "salesforce", "deals")
    con, (rep,), _ = _load(path)
    assert (rep.system, rep.rows_loaded) == ("salesforce", 3)
    assert _states(con) == {"won": 1, "lost": 1, "open": 1}
    assert con.execute("SELECT owner, amount, closed_at FROM stg.deals ORDER BY _record LIMIT 1").fetchone() == (
        "Ann Lee", 24000.0, dt.datetime(2024, 1, 15))


@pytest.mark.parametrize("name, header, row, entity", [
    ("Account.csv",
     ["Id", "Name", "Type", "ParentId", "BillingStreet", "BillingCity", "BillingCountry", "Phone", "Website", "Industry",
      "AnnualRevenue", "NumberOfEmployees", "OwnerId", "CreatedDate", "AccountSource"],
     ["0015g00000XyZ01AAA", "Acme Corp", "Customer", "", "1 Main St", "Springfield", "USA", "(555) 010-0001",
      "acme.example", "Manufacturing", "5000000", "250", "0055g000001OwnAAA", "2023-01-01T00:00:00.000Z", "Web"],
     "companies"),
    ("Contact.csv",
     ["Id", "AccountId", "LastName", "FirstName", "Salutation", "Name", "MailingCity", "Phone", "MobilePhone", "Email",
      "Title", "LeadSource", "OwnerId", "CreatedDate"],
     ["0035g00000Ct001AAA", "0015g00000XyZ01AAA", "Lee", "Ann", "Ms.", "Ann Lee", "Springfield", "+1 650 253 0000",
      "(212) 736-3100", "ann@acme.example", "CTO", "Web", "0055g000001OwnAAA", "2023-02-01T00:00:00.000Z"],
     "contacts"),
    ("Lead.csv",
     ["Id", "LastName", "FirstName", "Name", "Title", "Company", "City", "Phone", "Email", "LeadSource", "Status",
      "OwnerId", "IsConverted", "ConvertedOpportunityId", "CreatedDate"],
     ["00Q5g00000Ld001AAA", "Ray", "Bob", "Bob Ray", "CEO", "Initech", "Austin", "+1 555 010 0004", "bob@initech.example",
      "Cold Call", "Closed - Converted", "0055g000001OwnAAA", "true", "0065g00000AbCdEAA3", "2024-02-01T00:00:00.000Z"],
     "leads"),
])
def test_salesforce_other_objects(tmp_path, name, header, row, entity):
    path = _csv(tmp_path / name, header, [row])
    _only(path, "salesforce", entity)
    con, (rep,), counts = _load(path)
    assert (rep.system, rep.entity, rep.rows_loaded) == ("salesforce", entity, 1)
    assert counts[entity] == 1
    if entity == "contacts":
        assert con.execute("SELECT first_name, last_name, company_id, phones FROM stg.contacts").fetchone() == (
            "Ann", "Lee", "0015g00000XyZ01AAA", ["+16502530000", "+12127363100"])  # the file's region is inferred: US
        assert rep.region == "US"
    if entity == "leads":
        assert con.execute("SELECT status, company_name, converted_deal_id FROM stg.leads").fetchone() == (
            "Closed - Converted", "Initech", "0065g00000AbCdEAA3")


# ------------------------------------------------------------------------------------------- HubSpot

HS_DEALS_HEADER = ["Record ID", "Deal Name", "Deal Stage", "Pipeline", "Amount", "Close Date", "Deal owner",
                   "Create Date", "Closed Lost Reason", "Closed Won Reason", "Associated Company", "Deal Type"]
HS_DEALS_ROWS = [
    [9870001, "Acme - annual", "Closed Won", "Sales Pipeline", 24000, dt.datetime(2024, 1, 15, 12, 0), "Ann Lee",
     dt.datetime(2023, 11, 2, 9, 15), None, "Best price", "Acme", "newbusiness"],
    [9870002, "Globex", "Closed Lost", "Sales Pipeline", 12000.5, dt.datetime(2024, 2, 1, 12, 0), "Ann Lee",
     dt.datetime(2023, 12, 10, 11, 0), "Went with competitor", None, "Globex", "existingbusiness"],
    [9870003, "Initech", "Appointment Scheduled", "Sales Pipeline", 5000, dt.datetime(2024, 6, 30), "Bob Ray",
     dt.datetime(2024, 3, 1, 8, 0), None, None, "Initech", "newbusiness"],
    [9870004, "Umbrella", "Contract Sent", "Sales Pipeline", None, None, "Bob Ray",
     dt.datetime(2024, 2, 20, 8, 0), None, None, None, "newbusiness"],
]


def test_hubspot_deals_xlsx(tmp_path):
    path = _xlsx(tmp_path / "hubspot-crm-exports-all-deals-2024-04-01.xlsx", HS_DEALS_HEADER, HS_DEALS_ROWS)
    _only(path, "hubspot", "deals")
    con, (rep,), counts = _load(path)
    assert (rep.system, rep.entity, rep.kind, rep.problem) == ("hubspot", "deals", "xlsx", None)
    assert (rep.rows_read, rep.rows_loaded, rep.rows_rejected) == (4, 4, 0)
    assert rep.mapped["loss_reason"] == ["Closed Lost Reason"]
    assert _states(con) == {"won": 1, "lost": 1, "open": 2}
    rows = con.execute(
        "SELECT record_id, title, state, amount, loss_reason, closed_at, created_at, owner, company_name "
        "FROM stg.deals ORDER BY _record").fetchall()
    assert rows[0] == ("9870001", "Acme - annual", "won", 24000.0, None, dt.datetime(2024, 1, 15, 12),
                       dt.datetime(2023, 11, 2, 9, 15), "Ann Lee", "Acme")
    assert rows[1][2:5] == ("lost", 12000.5, "Went with competitor")
    assert rows[3][3] is None and rows[3][5] is None


def test_hubspot_contacts_xlsx_and_companies_csv(tmp_path):
    contacts = _xlsx(tmp_path / "contacts.xlsx",
                     ["Record ID", "First Name", "Last Name", "Email", "Phone Number", "Contact owner",
                      "Lifecycle Stage", "Lead Status", "Create Date", "Associated Company", "Job Title"],
                     [[501, "Ann", "Lee", "Ann@Acme.example ", "+7 916 123-45-67", "Bob Ray", "Customer", "Connected",
                       dt.datetime(2023, 5, 1, 10, 0), "Acme", "CTO"],
                      [502, "Ivan", "Petrov", "ivan@globex.example", "8 (916) 765-43-21", "Bob Ray", "Lead", "New",
                       dt.datetime(2023, 6, 1, 10, 0), "Globex", ""]])
    companies = _csv(tmp_path / "companies.csv",
                     ["Record ID", "Company name", "Company Domain Name", "Company owner", "Create Date", "Phone Number",
                      "City", "Country/Region", "Industry", "Number of Employees", "Annual Revenue", "Lifecycle Stage"],
                     [["701", "Acme", "acme.example", "Bob Ray", "2023-05-01 10:00", "+1 555 010 0001", "Springfield",
                       "United States", "MACHINERY", "250", "5000000", "Customer"]])
    _only(contacts, "hubspot", "contacts")
    _only(companies, "hubspot", "companies")
    con, reports, counts = _load(contacts, companies)
    assert [(r.system, r.entity, r.rows_loaded) for r in reports] == [("hubspot", "contacts", 2), ("hubspot", "companies", 1)]
    assert con.execute("SELECT emails, phones FROM stg.contacts ORDER BY _record").fetchall() == [
        (["ann@acme.example"], ["+79161234567"]), (["ivan@globex.example"], ["+79167654321"])]
    assert con.execute("SELECT name, website, employees FROM stg.companies").fetchone() == ("Acme", "acme.example", "250")


# ------------------------------------------------------------------------------------------ Pipedrive

PD_HEADER = ["Deal - ID", "Deal - Title", "Deal - Value", "Deal - Currency of value", "Deal - Status", "Deal - Stage",
             "Deal - Pipeline", "Deal - Owner", "Deal - Deal created", "Deal - Won time", "Deal - Lost time",
             "Deal - Lost reason", "Deal - Organization", "Deal - Contact person", "Deal - Expected close date",
             "Person - Email - Work", "Person - Phone - Work", "Person - Phone - Mobile", "Organization - Name"]
PD_ROWS = [
    ["101", "Acme deal", "24000", "EUR", "won", "Negotiations Started", "Pipeline", "Ann Lee", "2023-11-02 09:15:00",
     "2024-01-15 16:00:00", "", "", "Acme", "Ann Lee", "2024-01-31", "ann@acme.example", "+49 30 1234567",
     "+49 151 23456789", "Acme"],
    ["102", "Globex deal", "12000.5", "EUR", "lost", "Proposal Made", "Pipeline", "Ann Lee", "2023-12-10 11:00:00",
     "", "2024-02-01 10:00:00", "Too expensive", "Globex", "Hank Scorpio", "", "hank@globex.example", "", "", "Globex"],
    ["103", "Initech deal", "5000", "EUR", "open", "Qualified", "Pipeline", "Bob Ray", "2024-03-01 08:00:00",
     "", "", "", "Initech", "Bill Lumbergh", "2024-06-30", "", "+7 916 000-00-03", "", "Initech"],
    ["104", "Umbrella deal", "", "EUR", "open", "Contact Made", "Pipeline", "Bob Ray", "2024-03-05 08:00:00",
     "", "", "", "", "", "", "", "", "", ""],
]


def test_pipedrive_deals_csv(tmp_path):
    path = _csv(tmp_path / "deals-export.csv", PD_HEADER, PD_ROWS)
    _only(path, "pipedrive", "deals")
    con, (rep,), _ = _load(path)
    assert (rep.system, rep.entity, rep.problem) == ("pipedrive", "deals", None)
    assert (rep.rows_read, rep.rows_loaded, rep.rows_rejected) == (4, 4, 0)
    assert rep.mapped["stage_group"] == ["Deal - Status"]
    assert rep.mapped["closed_at"] == ["Deal - Won time", "Deal - Lost time"]
    assert con.execute("SELECT list(stage_group ORDER BY _record) FROM stg.deals").fetchone() == (
        ["won", "lost", "open", "open"],)
    rows = con.execute(
        "SELECT record_id, stage_group, amount, currency, loss_reason, closed_at, created_at, company_name, phones, emails "
        "FROM stg.deals ORDER BY _record").fetchall()
    assert rows[0] == ("101", "won", 24000.0, "EUR", None, dt.datetime(2024, 1, 15, 16), dt.datetime(2023, 11, 2, 9, 15),
                       "Acme", ["+49301234567", "+4915123456789"], ["ann@acme.example"])
    assert rows[1][1:6] == ("lost", 12000.5, "EUR", "Too expensive", dt.datetime(2024, 2, 1, 10))
    assert rows[2][1] == "open" and rows[2][5] is None and rows[2][8] == ["+79160000003"]
    assert rows[3][2] is None


def test_pipedrive_status_gives_state(tmp_path):
    path = _csv(tmp_path / "deals-export.csv", PD_HEADER, PD_ROWS)
    con, _, _ = _load(path)
    assert _states(con) == {"won": 1, "lost": 1, "open": 2}


def test_pipedrive_people_and_organizations(tmp_path):
    people = _csv(tmp_path / "people.csv",
                  ["Person - ID", "Person - Name", "Person - First name", "Person - Last name", "Person - Organization",
                   "Person - Email - Work", "Person - Phone - Work", "Person - Owner", "Person - Person created",
                   "Person - Label"],
                  [["11", "Ann Lee", "Ann", "Lee", "Acme", "ann@acme.example", "+7 916 123-45-67", "Bob Ray",
                    "2023-05-01 10:00:00", "Hot"]])
    orgs = _csv(tmp_path / "organizations.csv",
                ["Organization - ID", "Organization - Name", "Organization - Owner", "Organization - Address",
                 "Organization - Organization created", "Organization - People", "Organization - Label"],
                [["21", "ООО «Ромашка»", "Bob Ray", "Москва, ул. Ленина, 1", "2023-05-01 10:00:00", "1", ""]])
    _only(people, "pipedrive", "contacts")
    _only(orgs, "pipedrive", "companies")
    con, reports, _ = _load(people, orgs)
    assert [(r.system, r.entity, r.rows_loaded) for r in reports] == [("pipedrive", "contacts", 1), ("pipedrive", "companies", 1)]
    assert con.execute("SELECT full_name, company_name, phones FROM stg.contacts").fetchone() == (
        "Ann Lee", "Acme", ["+79161234567"])
    assert con.execute("SELECT name, name_norm FROM stg.companies").fetchone() == ("ООО «Ромашка»", "ромашка")


def test_generic_deals_stay_generic(tmp_path):
    """A plain deals table with common English titles is not claimed by any global CRM profile."""
    path = _csv(tmp_path / "pipeline.csv",
                ["opportunity_id", "sales_agent", "product", "account", "deal_stage", "engage_date", "close_date",
                 "close_value"],
                [["1C1I7A6R", "Moses Frase", "GTX Plus Basic", "Cancity", "Won", "2016-10-20", "2017-03-01", "1054"]])
    _only(path, "generic", "deals")
