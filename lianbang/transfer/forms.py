"""Upload and export forms of the console pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from lianbang.monitoring.models import Color
from lianbang.org.models import Unit
from lianbang.transfer.departments import TEMPLATES
from lianbang.transfer.reading import SUFFIXES
from lianbang.transfer.tasks import CONSOLE_LIST_EXPORTS, EXPORTS


def checked_upload(upload: UploadedFile) -> UploadedFile:
    suffix = Path(upload.name or "").suffix.lower()
    if suffix not in SUFFIXES:
        raise forms.ValidationError("只支持 .xlsx、.xls、.csv 文件")
    limit = settings.LIANBANG_UPLOAD_MAX_MB * 1024 * 1024
    if upload.size is not None and upload.size > limit:
        raise forms.ValidationError(f"文件超过 {settings.LIANBANG_UPLOAD_MAX_MB} MB")
    return upload


class ImportForm(forms.Form):
    file = forms.FileField(label="户信息表（.xlsx / .xls / .csv）")
    income_year = forms.IntegerField(label="收入年度", min_value=2000, max_value=2100, required=False)

    def clean_file(self) -> UploadedFile:
        return checked_upload(self.cleaned_data["file"])


class DepartmentForm(forms.Form):
    department = forms.ChoiceField(label="部门")
    file = forms.FileField(label="名单（.xlsx / .xls / .csv）")

    def __init__(self, *args: Any, departments: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        department = self.fields["department"]
        assert isinstance(department, forms.ChoiceField)
        department.choices = [
            (code, f"{TEMPLATES[code].label}：{TEMPLATES[code].title}") for code in departments
        ]

    def clean_file(self) -> UploadedFile:
        return checked_upload(self.cleaned_data["file"])


class ExportForm(forms.Form):
    # 人员名单, 案件清单 and 诉求与纠纷清单 are the console's lists exported with their own filters
    # (POST /api/v1/people/export …); this form's unit and light would not be those filters.
    what = forms.ChoiceField(
        label="导出内容", choices=[(k, v) for k, v in EXPORTS.items() if k not in CONSOLE_LIST_EXPORTS]
    )
    unit = forms.ModelChoiceField(label="单位", queryset=Unit.objects.none(), required=False)
    color = forms.ChoiceField(label="灯色", choices=[("", "全部"), *Color.choices], required=False)
    monitoring_only = forms.BooleanField(label="只导出监测对象", required=False)
    month = forms.DateField(label="月份（该月任一天）", required=False)
    as_of = forms.DateField(label="截至日期", required=False)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit = self.fields["unit"]
        assert isinstance(unit, forms.ModelChoiceField)
        unit.queryset = units

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("what") in ("monthly", "employment", "publicity") and not data.get("unit"):
            self.add_error("unit", "报表须选择单位")
        return data

    def params(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "what": data["what"],
            "unit_id": data["unit"].pk if data.get("unit") else None,
            "color": data.get("color") or "",
            "monitoring_only": bool(data.get("monitoring_only")),
            "month": data["month"].isoformat() if data.get("month") else None,
            "as_of": data["as_of"].isoformat() if data.get("as_of") else None,
        }
