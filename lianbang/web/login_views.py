"""The login pages: password, then a new password and the second factor when they are due."""

from __future__ import annotations

import base64

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib.auth.forms import SetPasswordForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from lianbang.accounts.login import (
    STEP_OTP,
    STEP_PASSWORD,
    LoginOutcome,
    login_begin,
    otp_device,
    otp_verify,
    password_set_by_owner,
    pending_login,
    step_done,
)

NEXT_KEY = "lianbang_login_next"
STEP_PAGES = {STEP_PASSWORD: "web:login_password", STEP_OTP: "web:login_otp"}


class LoginForm(forms.Form):
    username = forms.CharField(max_length=150)
    # Bounded: hashing a megabyte-long "password" would let anyone keep the server busy.
    password = forms.CharField(max_length=256, strip=False)


class OtpForm(forms.Form):
    code = forms.CharField(max_length=12)


@never_cache
@sensitive_post_parameters("password")
def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        _remember_next(request)
        outcome = login_begin(
            request=request, username=form.cleaned_data["username"], password=form.cleaned_data["password"]
        )
        if outcome.status in ("done", "pending"):
            return _continue(request, outcome)
        error = _failure_message(outcome)
    elif request.method == "POST":
        error = _("用户名或密码不正确")
    context = {
        "form": form,
        "error": error,
        "next": request.GET.get("next", ""),
        "demo_mode": settings.LIANBANG_DEMO_MODE,
        "demo_password": settings.LIANBANG_DEMO_PASSWORD,
    }
    return render(request, "web/login.html", context, status=400 if error else 200)


@never_cache
@sensitive_post_parameters("new_password1", "new_password2")
def login_password(request: HttpRequest) -> HttpResponse:
    pending = pending_login(request)
    if pending is None:
        return redirect("web:login")
    if STEP_PASSWORD not in pending.steps:
        return redirect(STEP_PAGES[pending.steps[0]])
    form = SetPasswordForm(pending.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        password_set_by_owner(request=request, user=pending.user, password=form.cleaned_data["new_password1"])
        return _continue(request, step_done(request, STEP_PASSWORD))
    return render(request, "web/password.html", {"form": form, "forced": True})


@never_cache
def login_otp(request: HttpRequest) -> HttpResponse:
    pending = pending_login(request)
    if pending is None:
        return redirect("web:login")
    if STEP_OTP not in pending.steps:
        return redirect(STEP_PAGES[pending.steps[0]])
    device, enrolling = otp_device(pending.user, request)
    form = OtpForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        outcome = otp_verify(request=request, code=form.cleaned_data["code"])
        if outcome.status in ("done", "pending"):
            return _continue(request, outcome)
        error = _failure_message(outcome, wrong=_("动态口令不正确"))
    context = {"form": form, "error": error, "enrolling": enrolling}
    if enrolling:
        context["secret"] = base64.b32encode(device.bin_key).decode()
    return render(request, "web/otp.html", context, status=400 if error else 200)


@never_cache
def login_otp_qr(request: HttpRequest) -> HttpResponse:
    """The enrolment QR code as an image (an <img>, so the page needs no inline SVG or style)."""
    pending = pending_login(request)
    if pending is None or STEP_OTP not in pending.steps:
        raise Http404
    device, enrolling = otp_device(pending.user, request)
    if not enrolling:
        raise Http404
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return HttpResponse(image.to_string(), content_type="image/svg+xml")


def _continue(request: HttpRequest, outcome: LoginOutcome) -> HttpResponse:
    if outcome.status == "pending":
        return redirect(STEP_PAGES[outcome.step])
    target = request.session.pop(NEXT_KEY, "")
    return redirect(target or "web:home")


def _remember_next(request: HttpRequest) -> None:
    target = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure())
    request.session[NEXT_KEY] = target if safe else ""


def _failure_message(outcome: LoginOutcome, wrong: str = "") -> str:
    if outcome.status == "locked" and outcome.locked_until is not None:
        until = timezone.localtime(outcome.locked_until).strftime("%H:%M")
        return _("登录失败次数过多，已锁定至 %(until)s，请稍后再试") % {"until": until}
    return wrong or _("用户名或密码不正确")
