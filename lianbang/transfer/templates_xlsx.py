"""Blank templates of the department lists, with one example row and the rules that apply."""

from __future__ import annotations

import io
from urllib.parse import quote

from django.http import HttpResponse

from lianbang.transfer.departments import THRESHOLDS, ListTemplate, threshold
from lianbang.transfer.xlsx import add_sheet, open_workbook_stream

EXAMPLE_ID = "530113198001010014"


def template_bytes(template: ListTemplate) -> bytes:
    buffer = io.BytesIO()
    workbook = open_workbook_stream(buffer)
    sheet = add_sheet(workbook, template.label)
    sheet.header(
        [c.title + ("*" if c.required else "") for c in template.columns], [16] * len(template.columns)
    )
    sheet.row(
        [
            EXAMPLE_ID if c.key == "id_number" else "张三" if c.key == "name" else c.example
            for c in template.columns
        ]
    )
    notes = add_sheet(workbook, "填写说明")
    notes.row([template.title])
    notes.row([template.note])
    notes.row(
        ["带 * 的列必填；证件号码请设为文本格式，避免被 Excel 改成科学计数法。第2行为示例，上传前请删除。"]
    )
    for key, (name, _default) in THRESHOLDS.items():
        if key.startswith(template.department):
            notes.row([f"{name}阈值：{threshold(key)} 元"])
    workbook.close()
    return buffer.getvalue()


def template_response(template: ListTemplate) -> HttpResponse:
    response = HttpResponse(
        template_bytes(template),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    filename = f"{template.title}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
