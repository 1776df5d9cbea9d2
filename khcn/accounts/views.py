from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khcn.accounts import services
from khcn.accounts.forms import (
    AgencyForm,
    GrantRoleForm,
    LoginForm,
    TokenForm,
    UserCreateForm,
    UserEditForm,
)
from khcn.accounts.middleware import SESSION_KEY
from khcn.accounts.models import Agency, ApiToken, Membership, Role, User
from khcn.core.errors import DomainError
from khcn.core.permissions import can, get_visible, require, scope
from khcn.web.utils import paginate


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_changed(user=self.request.user, request=self.request)
        messages.success(self.request, _("Đã đổi mật khẩu."))
        return response


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_changed(user=form.user, request=self.request, reset=True)
        return response


@login_required
@require_POST
def agency_switch(request):
    agency_id = request.POST.get("agency")
    if agency_id and agency_id.isdigit() and int(agency_id) in request.user.roles_by_agency():
        request.session[SESSION_KEY] = int(agency_id)
    target = request.POST.get("next") or reverse("home")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("home")
    return HttpResponseRedirect(target)


# --- profile and API tokens ---------------------------------------------------------------------


@login_required
def profile(request):
    form = TokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        _token, new_key = services.token_create(
            actor=request.user, user=request.user, name=form.cleaned_data["name"], request=request
        )
        messages.success(request, _("Đã tạo mã truy cập. Hãy sao chép ngay: mã chỉ hiện một lần."))
        form = TokenForm()
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "new_key": new_key,
            "tokens": request.user.api_tokens.all(),
            "memberships": request.user.memberships.select_related("agency"),
        },
    )


@login_required
@require_POST
def token_revoke(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.token_revoke(actor=request.user, token=token, request=request)
    messages.success(request, _("Đã thu hồi mã truy cập “%(name)s”.") % {"name": token.name})
    return redirect("profile")


# --- agencies -------------------------------------------------------------------------------------


@login_required
def agency_list(request):
    agencies = scope(request.user, "agency.view", Agency.objects.select_related("parent"))
    return render(
        request,
        "accounts/agency_list.html",
        {
            "agencies": agencies,
            "can_create": can(request.user, "agency.create"),
            "managed_ids": set(request.user.agency_ids_with({Role.ADMIN})),
        },
    )


@login_required
def agency_create(request):
    require(request.user, "agency.create")
    form = AgencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            agency = services.agency_create(
                actor=request.user, request=request, **form.cleaned_data
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Đã tạo cơ quan %(name)s.") % {"name": agency})
            return redirect("agency-list")
    return render(request, "accounts/agency_form.html", {"form": form, "agency": None})


@login_required
def agency_edit(request, pk: int):
    agency = get_visible(request.user, "agency.manage", Agency.objects.all(), pk=pk)
    form = AgencyForm(request.POST or None, instance=Agency.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        services.agency_update(
            actor=request.user,
            agency=agency,
            request=request,
            **{k: v for k, v in form.cleaned_data.items()},
        )
        messages.success(request, _("Đã lưu thông tin cơ quan."))
        return redirect("agency-list")
    return render(request, "accounts/agency_form.html", {"form": form, "agency": agency})


# --- users and roles --------------------------------------------------------------------------------


@login_required
def user_list(request):
    require(request.user, "user.manage")
    users = scope(request.user, "user.manage", User.objects.all())
    q = request.GET.get("q", "").strip()[:100]
    role = request.GET.get("role", "")
    if q:
        users = users.filter(
            Q(full_name__icontains=q) | Q(username__icontains=q) | Q(email__icontains=q)
        )
    if role in Role.values:
        users = users.filter(memberships__role=role)
    users = users.order_by("full_name").prefetch_related("memberships__agency")
    return render(
        request,
        "accounts/user_list.html",
        {
            "page": paginate(request, users),
            "q": q,
            "role": role,
            "roles": Role.choices,
        },
    )


def _managed_agencies(user):
    if user.is_superuser:
        return Agency.objects.all()
    return Agency.objects.filter(pk__in=user.agency_ids_with({Role.ADMIN}))


@login_required
def user_create(request):
    require(request.user, "membership.manage")
    agencies = _managed_agencies(request.user)
    form = UserCreateForm(
        request.POST or None,
        agencies=agencies,
        initial={"agency": getattr(request.agency, "pk", None), "role": Role.STAFF},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            user = services.user_create(actor=request.user, request=request, **data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Đã tạo người dùng %(name)s.") % {"name": user})
            return redirect("user-detail", pk=user.pk)
    return render(request, "accounts/user_create.html", {"form": form})


@login_required
def user_detail(request, pk: int):
    target = get_visible(request.user, "user.manage", User.objects.all(), pk=pk)
    edit_form = UserEditForm(request.POST or None, instance=User.objects.get(pk=pk), prefix="edit")
    grant_form = GrantRoleForm(
        agencies=_managed_agencies(request.user),
        prefix="grant",
        initial={"agency": getattr(request.agency, "pk", None)},
    )
    if request.method == "POST" and edit_form.is_valid():
        try:
            services.user_update(
                actor=request.user, user=target, request=request, **edit_form.cleaned_data
            )
        except DomainError as exc:
            edit_form.add_error(None, exc.message)
        else:
            messages.success(request, _("Đã lưu thông tin người dùng."))
            return redirect("user-detail", pk=pk)
    memberships = target.memberships.select_related("agency", "granted_by")
    return render(
        request,
        "accounts/user_detail.html",
        {
            "target": target,
            "edit_form": edit_form,
            "grant_form": grant_form,
            "memberships": memberships,
            "managed_ids": set(_managed_agencies(request.user).values_list("pk", flat=True)),
            "locked": target.locked_until is not None,
        },
    )


@login_required
@require_POST
def user_grant_role(request, pk: int):
    target = get_visible(request.user, "user.manage", User.objects.all(), pk=pk)
    form = GrantRoleForm(request.POST, agencies=_managed_agencies(request.user), prefix="grant")
    if not form.is_valid():
        messages.error(request, _("Hãy chọn cơ quan và vai trò hợp lệ."))
    else:
        try:
            services.membership_grant(
                actor=request.user,
                user=target,
                request=request,
                agency=form.cleaned_data["agency"],
                role=form.cleaned_data["role"],
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Đã giao vai trò."))
    return redirect("user-detail", pk=pk)


@login_required
@require_POST
def membership_revoke(request, pk: int):
    membership = get_object_or_404(Membership.objects.select_related("agency"), pk=pk)
    if not can(request.user, "user.manage", membership.user):
        raise Http404(_("Không tìm thấy."))
    try:
        services.membership_revoke(actor=request.user, membership=membership, request=request)
    except PermissionDenied:
        messages.error(request, _("Chỉ quản trị viên của cơ quan được thu hồi vai trò."))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã thu hồi vai trò."))
    return redirect("user-detail", pk=membership.user_id)


@login_required
@require_POST
def user_unlock(request, pk: int):
    target = get_visible(request.user, "user.manage", User.objects.all(), pk=pk)
    services.account_unlock(actor=request.user, user=target, request=request)
    messages.success(request, _("Đã mở khóa tài khoản %(u)s.") % {"u": target.username})
    return redirect("user-detail", pk=pk)
