"""Search and export of the audit log, for holders of ``audit.view``."""

from __future__ import annotations

import io
import json

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from lianbang.accounts.exports import Column, write_masked_xlsx
from lianbang.accounts.models import Permission
from lianbang.accounts.scope import has_permission
from lianbang.audit.models import Action
from lianbang.audit.selectors import AuditFilter, audit_search, masked_changes
from lianbang.web.decorators import login_required_page

EXPORT_LIMIT = 100_000
EXPORT_COLUMNS = [
    Column("seq", "序号"),
    Column("at", "时间"),
    Column("actor", "操作人"),
    Column("ip", "IP地址"),
    Column("action", "操作"),
    Column("object_type", "对象类型"),
    Column("object_id", "对象ID"),
    Column("changes", "变更内容"),
    Column("reason", "原因"),
    Column("hash", "哈希"),
]


@login_required_page
def audit_list(request: HttpRequest) -> HttpResponse:
    _require_audit_view(request)
    criteria = AuditFilter.from_query(request.GET)
    page = Paginator(audit_search(criteria), 50).get_page(request.GET.get("page"))
    rows = [(entry, json.dumps(masked_changes(entry.changes), ensure_ascii=False)) for entry in page]
    context = {"page": page, "rows": rows, "criteria": criteria, "actions": Action.choices}
    return render(request, "audit/list.html", context)


@login_required_page
def audit_export(request: HttpRequest) -> HttpResponse:
    _require_audit_view(request)
    criteria = AuditFilter.from_query(request.GET)
    entries = audit_search(criteria)[:EXPORT_LIMIT]
    rows = (
        {
            "seq": e.seq,
            "at": timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"),
            "actor": e.actor_name,
            "ip": e.ip,
            "action": e.action,
            "object_type": e.object_type,
            "object_id": e.object_id,
            "changes": json.dumps(masked_changes(e.changes), ensure_ascii=False),
            "reason": e.reason,
            "hash": e.hash,
        }
        for e in entries.iterator(chunk_size=2000)
    )
    stream = io.BytesIO()
    write_masked_xlsx(stream, columns=EXPORT_COLUMNS, rows=rows, actor=request.user, what="audit_log")
    response = HttpResponse(
        stream.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="audit-log.xlsx"'
    return response


def _require_audit_view(request: HttpRequest) -> None:
    if not has_permission(request.user, Permission.AUDIT_VIEW):
        raise PermissionDenied
