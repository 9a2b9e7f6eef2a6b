"""Console pages for imports, department lists, exports and job progress (until the Vue
console exists). Every page needs a login; what a user may import, match or export is
limited to their units (``lianbang.accounts.scope``); a job is visible to its owner only."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from lianbang.accounts.models import Permission, User
from lianbang.accounts.scope import grants_with, has_permission, units_for
from lianbang.jobs.models import Job
from lianbang.jobs.registry import label_of
from lianbang.jobs.runner import job_dispatch, job_rerun, job_submit
from lianbang.transfer.departments import TEMPLATES
from lianbang.transfer.forms import DepartmentForm, ExportForm, ImportForm
from lianbang.transfer.tasks import DEPARTMENT, EXPORT, IMPORT, job_kind_label
from lianbang.transfer.templates_xlsx import template_response
from lianbang.web.decorators import permission_page

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    jobs = Job.objects.filter(created_by_id=user.pk).order_by("-pk")[:20]
    context = {
        "jobs": [(job, label_of(job.kind), job_kind_label(job)) for job in jobs],
        "can_import": has_permission(user, Permission.HOUSEHOLD_EDIT),
        "can_upload": has_permission(user, Permission.DEPARTMENT_UPLOAD),
        "can_export": has_permission(user, Permission.EXPORT),
    }
    return render(request, "transfer/index.html", context)


@permission_page(Permission.HOUSEHOLD_EDIT)
def import_page(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        params = {"dry_run": True, "income_year": form.cleaned_data.get("income_year")}
        job = _start(request, IMPORT, params, upload)
        return redirect("transfer:job", job_id=job.pk)
    return render(request, "transfer/import.html", {"form": form})


@permission_page(Permission.DEPARTMENT_UPLOAD)
def department_page(request: HttpRequest) -> HttpResponse:
    departments = _departments(request.user)
    form = DepartmentForm(request.POST or None, request.FILES or None, departments=departments)
    if request.method == "POST" and form.is_valid():
        params = {"dry_run": True, "department": form.cleaned_data["department"]}
        job = _start(request, DEPARTMENT, params, form.cleaned_data["file"])
        return redirect("transfer:job", job_id=job.pk)
    templates = [TEMPLATES[code] for code in departments]
    return render(request, "transfer/department.html", {"form": form, "templates": templates})


@permission_page(Permission.DEPARTMENT_UPLOAD)
def department_template(request: HttpRequest) -> HttpResponse:
    department = request.GET.get("department", "")
    if department not in _departments(request.user):
        return render(
            request, "transfer/message.html", {"message": "请从名单上传页面选择部门模板"}, status=400
        )
    return template_response(TEMPLATES[department])


def _departments(user: object) -> list[str]:
    """The departments whose lists the user uploads; a grant without one may upload any."""
    grants = grants_with(user, Permission.DEPARTMENT_UPLOAD)
    named = [g.department for g in grants if g.department in TEMPLATES]
    if any(not g.department for g in grants):
        return list(TEMPLATES)
    return sorted(set(named), key=list(TEMPLATES).index)


@permission_page(Permission.EXPORT)
def export_page(request: HttpRequest) -> HttpResponse:
    units = units_for(request.user, Permission.EXPORT).filter(level__lte=4).order_by("path")
    form = ExportForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        job = _start(request, EXPORT, form.params(), None)
        return redirect("transfer:job", job_id=job.pk)
    return render(request, "transfer/export.html", {"form": form})


def _start(request: HttpRequest, kind: str, params: dict[str, object], upload: object) -> Job:
    user = request.user
    assert isinstance(user, User)
    name = getattr(upload, "name", "") or ""
    with transaction.atomic():
        job = job_submit(kind=kind, actor=user, params=params, upload=upload, input_name=name)  # type: ignore[arg-type]
        job_dispatch(job, background=True)
    job.refresh_from_db()
    return job


def _own_job(request: HttpRequest, job_id: int) -> Job:
    job = Job.objects.filter(pk=job_id, created_by_id=request.user.pk).first()
    if job is None:
        raise Http404
    return job


@login_required
def job_page(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _own_job(request, job_id)
    context = {
        "job": job,
        "label": label_of(job.kind),
        "export_label": job_kind_label(job),
        "preview": job.params.get("dry_run") and job.status == Job.Status.DONE,
        "can_commit": job.kind in (IMPORT, DEPARTMENT)
        and job.params.get("dry_run")
        and job.status == Job.Status.DONE,
        "can_rerun": job.status == Job.Status.FAILED or job.is_stale,
    }
    return render(request, "transfer/job.html", context)


@login_required
def job_status(request: HttpRequest, job_id: int) -> JsonResponse:
    job = _own_job(request, job_id)
    return JsonResponse(
        {
            "id": job.pk,
            "status": job.status,
            "status_label": job.get_status_display(),
            "done": job.progress_done,
            "total": job.progress_total,
            "percent": job.percent,
            "finished": job.is_finished,
            "stale": job.is_stale,
            "message": job.message,
        }
    )


@require_POST
@login_required
def job_commit(request: HttpRequest, job_id: int) -> HttpResponse:
    preview = _own_job(request, job_id)
    if preview.kind not in (IMPORT, DEPARTMENT) or not preview.params.get("dry_run"):
        raise Http404
    if preview.status != Job.Status.DONE:
        return redirect("transfer:job", job_id=preview.pk)
    if not Path(preview.input_path).is_file():
        message = "上传的文件已不在服务器上，请重新上传"
        return render(request, "transfer/message.html", {"message": message}, status=410)
    params = {**preview.params, "dry_run": False, "preview_job": preview.pk}
    job = _start(request, preview.kind, params, Path(preview.input_path))
    Job.objects.filter(pk=job.pk).update(input_name=preview.input_name)
    return redirect("transfer:job", job_id=job.pk)


@require_POST
@login_required
def job_rerun_view(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _own_job(request, job_id)
    if job.status == Job.Status.FAILED or job.is_stale:
        job_rerun(job, background=True)
    return redirect("transfer:job", job_id=job.pk)


@login_required
def job_errors(request: HttpRequest, job_id: int) -> FileResponse:
    job = _own_job(request, job_id)
    return _download(job.error_path, f"job-{job.pk}-errors.xlsx")


@login_required
def job_result(request: HttpRequest, job_id: int) -> FileResponse:
    job = _own_job(request, job_id)
    return _download(job.result_path, f"job-{job.pk}-{job.params.get('what', 'export')}.xlsx")


def _download(stored: str, filename: str) -> FileResponse:
    """The file streamed from disk in blocks (never read whole into memory)."""
    path = Path(stored) if stored else None
    if path is None or not path.is_file():
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename=filename, content_type=XLSX)
