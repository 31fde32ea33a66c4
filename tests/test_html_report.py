"""scorecard.html: one self-contained page, every section once, personal data masked by default,
data from exports escaped, Russian and English."""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import duckdb
import lxml.html
import pytest

from auditor.report.html_report import Fmt, mask_org, mask_text, render_html, write_html
from auditor.run import audit

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data"
SECTIONS = ["summary", "domains", "questions", "dimensions", "findings", "charts", "inventory", "recommendations"]
DIMENSIONS = ["duplicates", "completeness", "validity", "refusal", "cross", "process", "automation", "sanity", "volume"]
HOSTILE_SCRIPT = "<script>alert(1)</script>"
HOSTILE_IMG = '"><img src=x onerror=alert(1)>'


# --------------------------------------------------------------------------- fixtures

@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """The demo company audited once, in Russian, with the director's self-assessment."""
    out = tmp_path_factory.mktemp("sample_audit")
    result = audit([str(SAMPLE / "exports")], out, as_of=dt.date(2026, 11, 20), lang="ru", use_gx=False,
                   self_assessment_file=SAMPLE / "self_assessment.yaml")
    html = (out / "scorecard.html").read_text(encoding="utf-8")
    return result, out, html


@pytest.fixture(scope="module")
def sample_db(sample):
    con = duckdb.connect(str(sample[1] / "audit.duckdb"), read_only=True)
    yield con
    con.close()


def doc(html: str):
    return lxml.html.document_fromstring(html)


def _bitrix(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    def line(cells):
        return ";".join('"' + c.replace('"', '""') + '"' for c in cells) + ";"
    path.write_text("\n".join([line(header)] + [line(r) for r in rows]) + "\n", encoding="utf-8-sig")
    return path


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """A tiny Bitrix24 export whose company, deal, owner and loss reason carry HTML/JS."""
    d = tmp_path_factory.mktemp("hostile_exports")
    name = f"ООО {HOSTILE_SCRIPT}{HOSTILE_IMG}"
    company_header = ["ID", "Название компании", "Тип компании", "Телефон", "E-mail", "ИНН", "Сфера деятельности",
                      "Ответственный", "Кем создана", "Дата создания", "Дата изменения"]
    companies = [
        ["1", name, "Клиент", "+7 (916) 123-45-67", "boss@hostile.example", "", "", f"Иван {HOSTILE_SCRIPT}",
         "Иван Петров", "01.02.2026 10:00:00", "02.02.2026 10:00:00"],
        ["2", "ООО «Ромашка»", "Клиент", "8 (495) 765-43-21", "info@romashka.example", "", "", "Иван Петров",
         "Иван Петров", "01.02.2026 11:00:00", "02.02.2026 11:00:00"],
        ["3", "ООО «Лютик»", "Клиент", "", "", "7707083893", "", "Иван Петров", "Иван Петров",
         "01.02.2026 12:00:00", "02.02.2026 12:00:00"],
    ]
    deal_header = ["ID", "Название сделки", "Сумма", "Валюта", "Компания", "Контакт", "Стадия сделки", "Вероятность",
                   "Источник", "Ответственный", "Кем создана", "Дата создания", "Дата изменения",
                   "Предполагаемая дата закрытия", "Дата завершения", "Направление", "Комментарий", "Причина отказа"]
    deals = []
    for i in range(12):
        lost = i % 3 != 0
        deals.append([str(100 + i), f"Сделка {HOSTILE_IMG} {i}", "1000.00", "Российский рубль", name, "",
                      "Сделка провалена" if lost else "Сделка успешна", "0" if lost else "100", "",
                      f"Иван {HOSTILE_SCRIPT}", "Иван Петров", "01.03.2026 10:00:00", "05.03.2026 10:00:00",
                      "10.03.2026", "05.03.2026 10:00:00", "Продажи", "",
                      (HOSTILE_SCRIPT if i % 2 else "") if lost else ""])
    paths = [_bitrix(d / "COMPANY_20260401_aaaa_bbbb.csv", company_header, companies),
             _bitrix(d / "DEAL_20260401_cccc_dddd.csv", deal_header, deals)]
    runs = {}
    for lang in ("ru", "en"):
        out = tmp_path_factory.mktemp(f"hostile_{lang}")
        audit([str(p) for p in paths], out, as_of=dt.date(2026, 4, 1), lang=lang, use_gx=False)
        runs[lang] = (out / "scorecard.html").read_text(encoding="utf-8")
    return runs


# --------------------------------------------------------------------------- structure

def test_every_section_once_in_order(sample):
    page = doc(sample[2])
    ids = [e.get("id") for e in page.xpath("//*[@id]") if e.get("id") in SECTIONS]
    assert ids == SECTIONS


def test_five_questions_and_a_badge_per_domain(sample):
    page = doc(sample[2])
    for q in ("Q1", "Q2", "Q3", "Q4", "Q5"):
        blocks = page.xpath(f'//section[@id="questions"]//div[@id="q-{q}"]')
        assert len(blocks) == 1, q
        assert blocks[0].xpath('.//table[contains(@class, "metrics")]//code'), q   # the metrics behind it
    for domain in ("sales", "integration", "service"):
        cards = page.xpath(f'//section[@id="domains"]//*[@data-domain="{domain}"]')
        assert len(cards) == 1, domain
        badges = cards[0].xpath('.//span[contains(@class, "badge")]')
        assert badges and badges[0].text_content().strip() in {"1", "2", "3", "?"}
    header_badge = page.xpath('//*[@id="summary"]//span[contains(@class, "badge")]')[0]
    assert header_badge.text_content().strip() == str(sample[0].maturity.level)


def test_blockers_list_metric_ids_and_records(sample):
    result, _, html = sample
    page = doc(html)
    sales = page.xpath('//*[@data-domain="sales"]')[0]
    blocker_metrics = {m for b in result.maturity.domains["sales"].blockers for m in b.metrics}
    shown = {c.text_content() for c in sales.xpath('.//ul[@class="blockers"]//code')}
    assert blocker_metrics <= shown
    assert "записей" in sales.text_content()


def test_self_assessment_contradiction_highlighted(sample):
    result, _, html = sample
    page = doc(html)
    for q, a in result.maturity.questions.items():
        box = page.xpath(f'//div[@id="q-{q}"]//div[contains(@class, "claim")]')
        assert len(box) == 1, q
        classes = box[0].get("class")
        if a.contradiction:
            assert "contra" in classes and box[0].xpath('.//strong[@class="tag"]'), q
        else:
            assert "contra" not in classes, q
    assert any(a.contradiction for a in result.maturity.questions.values())


def test_dimensions_findings_charts_inventory_recommendations(sample):
    result, _, html = sample
    page = doc(html)
    rows = page.xpath('//section[@id="dimensions"]//tr[@data-dimension]')
    assert [r.get("data-dimension") for r in rows][: len(DIMENSIONS)] == DIMENSIONS
    findings = page.xpath('//section[@id="findings"]/div[contains(@class, "finding")]')
    bad = [m for m in result.metrics.values() if m.status in ("fail", "warn")]
    assert findings and len(findings) <= len(bad)
    assert "fail" in findings[0].get("class")                      # fails first
    assert findings[0].xpath('.//table[@class="ex"]/tbody/tr')    # example records from stg
    for chart in ("chart-fill", "chart-funnel", "chart-reasons", "chart-owners", "chart-calls", "chart-duplicates"):
        assert page.xpath(f'//*[@id="{chart}"]//svg'), chart
    inv = page.xpath('//section[@id="inventory"]//table[@class="inv"]/tbody/tr')
    assert len(inv) == len(result.inputs)
    recs = page.xpath('//section[@id="recommendations"]//ol[@class="recs"]/li')
    assert len(recs) == len(result.recommendations)
    assert recs[0].xpath('.//div[@class="t"]')[0].text_content() == result.recommendations[0].title


def test_metric_links_resolve(sample):
    page = doc(sample[2])
    ids = {e.get("id") for e in page.xpath("//*[@id]")}
    targets = {a.get("href")[1:] for a in page.xpath('//a[starts-with(@href, "#")]')}
    assert targets and targets <= ids


# --------------------------------------------------------------------------- self-contained

def _assert_self_contained(html: str) -> None:
    page = doc(html)
    assert not page.xpath("//script[@src]")
    assert not page.xpath("//link")
    assert not page.xpath("//iframe | //object | //embed | //img")
    for el in page.xpath("//*[@src]"):
        raise AssertionError(f"external resource: <{el.tag} src={el.get('src')}>")
    for el in page.xpath("//*[@href]"):
        href = el.get("href")
        assert el.tag == "a" and (href.startswith("#") or href.startswith(("http://", "https://"))), href
    assert "@import" not in html and "url(" not in html
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html.replace('href="#', ""))


def test_self_contained(sample):
    _assert_self_contained(sample[2])
    assert sample[2].startswith("<!DOCTYPE html>")


# --------------------------------------------------------------------------- personal data

def _personal_values(con) -> tuple[set[str], set[str]]:
    phones, emails = set(), set()
    for entity in ("contacts", "companies", "leads", "counterparties"):
        for phone, plist, email, elist in con.execute(
                f"SELECT phone, phones, email, emails FROM stg.{entity}").fetchall():
            for p in [phone, *(plist or [])]:
                if p and len(re.sub(r"\D", "", p)) >= 10:
                    phones.add(p)
            for e in [email, *(elist or [])]:
                if e and "@" in e:
                    emails.add(e)
    return phones, emails


def _found(values: set[str], text: str) -> set[str]:
    return {v for v in values if re.search(r"(?<![\w.+-])" + re.escape(v) + r"(?![\w-])", text)}


def test_personal_data_masked_by_default(sample, sample_db):
    phones, emails = _personal_values(sample_db)
    assert phones and emails
    text = sample[2]
    assert _found(phones, text) == set()
    assert _found(emails, text) == set()
    assert "***" in text


def test_show_pii_shows_them(sample, sample_db):
    html = render_html(sample[0], sample_db, show_pii=True)
    phones, emails = _personal_values(sample_db)
    assert _found(phones, html)
    assert _found(emails, html)
    # a contact's full name from an example record appears only unmasked
    page = doc(html)
    finding = page.xpath('//div[@id="f-validity.contacts.email_invalid_share"]')[0]
    name = finding.xpath('.//table[@class="ex"]/tbody/tr[1]/td[2]')[0].text_content()
    assert name and "***" not in name and name not in sample[2]


def test_write_html_returns_path(sample, sample_db, tmp_path):
    out = write_html(sample[0], sample_db, tmp_path / "s.html")
    assert out == tmp_path / "s.html" and out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


# --------------------------------------------------------------------------- escaping

@pytest.mark.parametrize("lang", ["ru", "en"])
def test_hostile_export_is_escaped(hostile, lang):
    html = hostile[lang]
    page = doc(html)
    scripts = page.xpath("//script")
    assert len(scripts) == 1 and "alert" not in scripts[0].text_content()      # only the page's own toggle script
    assert not page.xpath("//img")
    assert not [a for el in page.iter() if isinstance(el.tag, str) for a in el.attrib if a.lower().startswith("on")]
    text = page.text_content()
    assert HOSTILE_SCRIPT in text                     # shown as text, e.g. the company name in a finding
    assert "<img src=x onerror=alert(1)>" in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert page.xpath(f'//svg//text[contains(., "{HOSTILE_SCRIPT[:8]}")]')   # owner / reason labels in charts
    _assert_self_contained(html)


def test_both_languages_render(hostile):
    ru, en = doc(hostile["ru"]), doc(hostile["en"])
    assert ru.get("lang") == "ru" and en.get("lang") == "en"
    assert "Рекомендации" in ru.xpath('//section[@id="recommendations"]/h2')[0].text_content()
    assert "Recommendations" in en.xpath('//section[@id="recommendations"]/h2')[0].text_content()
    for page in (ru, en):
        assert [e.get("id") for e in page.xpath("//*[@id]") if e.get("id") in SECTIONS] == SECTIONS
        assert len(page.xpath('//section[@id="questions"]/div[contains(@class, "q")]')) == 5


def test_english_sample_without_database(sample):
    """The page renders from the result alone (no DuckDB): example records and charts from tables are left out."""
    html = render_html(dataclasses.replace(sample[0], lang="en"), None)
    page = doc(html)
    assert page.get("lang") == "en"
    assert [e.get("id") for e in page.xpath("//*[@id]") if e.get("id") in SECTIONS] == SECTIONS
    assert "Top findings" in html
    _assert_self_contained(html)


# --------------------------------------------------------------------------- formatting and masking helpers

def test_numbers_follow_the_language():
    ru, en = Fmt("ru"), Fmt("en")
    assert ru.int(1234) == "1\u00a0234" and en.int(1234) == "1,234"
    assert ru.pct(0.404) == "40,4\u00a0%" and en.pct(0.404) == "40.4%"
    assert ru.num(0.9048, 2) == "0,90" and en.num(1234.5, 1) == "1,234.5"
    assert ru.int(None) == "—" and en.pct(float("nan")) == "—"


def test_mask_helpers():
    assert mask_text("звонить 8 (916) 123-45-67 или ivan.petrov@mail.ru") == "звонить 8916***4567 или i***@mail.ru"
    assert mask_text("Договор №12 от 2024") == "Договор №12 от 2024"
    assert mask_org("ИП Левина Надежда Петровна").startswith("ИП Л***")
    assert mask_org("Орлова Ирина Владимировна ИП").endswith(" ИП") and "Ирина" not in mask_org("Орлова Ирина Владимировна ИП")
    assert mask_org("Савицкий Дмитрий Семёнович") != "Савицкий Дмитрий Семёнович"
    assert mask_org("ООО «Ромашка»") == "ООО «Ромашка»"
