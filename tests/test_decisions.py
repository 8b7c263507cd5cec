"""The major-decision register (重大决策, 三重一大): public ones get pages and links both ways, the others only a count."""

from __future__ import annotations

import csv
import io

from .sitecheck import all_text


def html(site, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


def test_only_decisions_open_to_all_get_pages(second_site):
    assert (second_site / "decisions/JC-2024-01/index.html").exists()
    assert (second_site / "decisions/JC-2024-02/index.html").exists()
    assert not (second_site / "decisions/JC-2024-03").exists()
    assert not (second_site / "decisions/JC-2024-04").exists()


def test_members_only_and_undisclosed_decisions_leave_only_their_number(second_site):
    for path, text in all_text(second_site).items():
        for secret in ("JC-2024-03", "JC-2024-04", "科室负责人任免", "举报线索的处置", "涉及干部个人信息"):
            assert secret not in text, (path, secret)
    page = html(second_site, "decisions")
    assert "项社会公开" in page
    assert '<div class="ss-card__n">1</div><div class="ss-card__label">项会内公开</div>' in page
    assert '<div class="ss-card__n">1</div><div class="ss-card__label">项不予公开</div>' in page


def test_register_lists_decisions_with_filters_for_year_category_meeting_and_status(second_site):
    page = html(second_site, "decisions")
    for name in ("年度", "会议", "类别", "执行状态"):
        assert f'data-filter="{name}"' in page, name
    assert page.index("根治欠薪专项行动方案") < page.index("2024年职业技能培训补贴资金安排")  # latest first
    assert 'href="JC-2024-01/"' in page


def test_decision_page_shows_its_fields_and_links_to_its_commitment_and_back(second_site):
    page = html(second_site, "decisions/JC-2024-01")
    for text in ("2024年1月15日", "党组会议", "大额度资金使用", "征求财政局和培训机构意见", "通过", "已拨付两个季度", "执行中"):
        assert text in page, text
    assert 'href="../../projects/PX2024/"' in page
    project = html(second_site, "projects/PX2024")
    assert "相关重大决策" in project and 'href="../../decisions/JC-2024-01/"' in project
    assert 'data-pagefind-filter="类型:重大决策"' in page


def test_open_data_holds_public_decisions_without_their_scope(second_site):
    rows = list(csv.DictReader(io.StringIO((second_site / "opendata/decisions.csv").read_text(encoding="utf-8-sig"))))
    assert [r["编号"] for r in rows] == ["JC-2024-02", "JC-2024-01"]
    assert "公开范围" not in rows[0] and "不公开理由" not in rows[0]
    assert rows[1]["关联承诺事项"] == "PX2024"


def test_record_past_its_review_interval_is_marked_for_review(sample_site):
    page = html(sample_site, "powers/CWB-008")
    assert "待复核（核对日期 2011年6月30日）" in page
    assert "待复核" not in html(sample_site, "powers/BZB-001")
