"""A calendar exported in Chinese imports back with the Chinese wording undone: titles
without their precision suffix, descriptions without the precision and source lines."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from tests.conftest import AppFactory

MICROSOFT = "2025-01-microsoft-80-billion"


def test_a_chinese_export_imports_back_without_its_wording(
    seeded_app: Flask, make_app: AppFactory, other_database_url: str, tmp_path: Path
) -> None:
    exported = tmp_path / "zh.ics"
    runner = seeded_app.test_cli_runner()
    result = runner.invoke(args=["export", "--format", "ics", "--lang", "zh", "-o", str(exported)])
    assert result.exit_code == 0, result.output
    assert "（2025年1月，日期未报道）" in exported.read_text(encoding="utf-8").replace("\r\n ", "")
    target = make_app(DATABASE_URL=other_database_url)
    imported = target.test_cli_runner().invoke(args=["import", str(exported)])
    assert imported.exit_code == 0, imported.output
    original = seeded_app.test_client().get(f"/api/events/{MICROSOFT}?lang=zh").get_json()
    event = target.test_client().get(f"/api/events/{MICROSOFT}").get_json()
    assert event["title"] == original["title"] == "微软计划投入约800亿美元建设人工智能数据中心"
    assert event["description"] == original["description"]
    assert (event["language"], event["precision"]) == ("zh", "month")
    assert event["source"] == original["source"] | {"when": None}
    assert event["organizations"] == ["微软"]  # the name the Chinese calendar gives
