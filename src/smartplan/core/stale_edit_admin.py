"""No lost updates in the editing interface: every change form carries where its edit started.

Each register form (a change form, every inline row, nested inlines too) carries a hidden,
signed ``edit_base``: the row's version and the value of each of its fields when the form was
opened (``core.stale_edits``). On save:

* a form whose row changed meanwhile is refused with a Czech message listing what changed
  meanwhile (field, the value when the form was opened, the value now); the main form is
  always checked (the admin saves it whatever was changed), an inline row when it was changed
  or marked for deletion (deleting a row someone changed meanwhile is refused too);
* the check and the write cannot race: the row's ``version`` is set back to the form's start,
  so the conditional update of ``core.versioning`` refuses a save that lost a race after the
  check; the admin's change view is one transaction, so a parent saved before an inline was
  refused is rolled back, and the form is shown again with what changed;
* changelist rows (``list_editable``, an order number) carry no start: they are read when
  the list is posted and write only their listed field, so no other field is overwritten;
  two people renumbering the same row at once keep the later number;
* deleting a whole row: Django's confirmation page carries the row's version, and a row
  changed after that page was opened is not deleted (the page is shown again).

The mixins go into ``core.plan_admin``'s ``PlanScopedAdmin`` and ``PlanScopedInlineMixin``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _

from smartplan.core.errors import SmartplanError
from smartplan.core.stale_edits import (
    EditBase,
    EditBaseDamagedError,
    EditBaseField,
    edit_base_damaged_message,
    edit_base_dumps,
    edit_base_loads,
    model_field,
    stale_edit_check,
)
from smartplan.core.versioning import StaleEditError

EDIT_BASE = "edit_base"

if TYPE_CHECKING:
    _FormBase = forms.ModelForm[Any]
    _FormSetBase = forms.BaseModelFormSet[Any, Any]
else:
    _FormBase = _FormSetBase = object


class StaleEditFormMixin(_FormBase):
    """A model form that refuses to save over a change made after it was opened."""

    # Picked up by Django's form metaclass like a field declared on the form.
    declared_fields: ClassVar[dict[str, forms.Field]] = {EDIT_BASE: EditBaseField()}
    # An inline row is checked only when it is changed (an untouched row is not written).
    stale_check_unchanged: bool = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if not self.is_bound and instance is not None and instance.pk is not None:
            start = {
                name: self.initial[name]
                for name in self.fields
                if name != EDIT_BASE
                and name in self.initial
                and model_field(type(instance), name) is not None
            }
            self.initial[EDIT_BASE] = edit_base_dumps(obj=instance, values=start)

    @property
    def edit_base(self) -> EditBase | None:
        """Where the edit started (``None`` for a new row or a form posted without it).

        Raises ``EditBaseDamagedError`` for an altered one."""
        instance = getattr(self, "instance", None)
        token = self.data.get(self.add_prefix(EDIT_BASE)) if self.is_bound else None
        if not token or instance is None or instance.pk is None:
            return None
        return edit_base_loads(str(token), obj=instance)

    @property
    def based_on_version(self) -> int | None:
        """The version of the row the edit started from, for actions that take it."""
        try:
            base = self.edit_base
        except EditBaseDamagedError:
            return None
        return base.version if base is not None else None

    def stale_edit_problems(self, *, deleting: bool = False) -> list[str]:
        """The refusal's lines when the row changed since the form was opened, else ``[]``."""
        try:
            base = self.edit_base
        except EditBaseDamagedError:
            return [edit_base_damaged_message()]
        if base is None:
            return []
        labels = {name: str(field.label or "") for name, field in self.fields.items()}
        lines = stale_edit_check(obj=self.instance, base=base, labels=labels, deleting=deleting)
        if not lines:
            # The save's conditional update refuses a change that slips in after this check.
            self.instance.version = base.version
        return lines

    def clean(self) -> dict[str, Any]:
        if self.stale_check_unchanged or self.has_changed():
            lines = self.stale_edit_problems()
            if lines:
                self.add_error(None, ValidationError(lines))
        return super().clean() or {}


class StaleEditFormSetMixin(_FormSetBase):
    """Inline rows: each changed row checked by its form, each deleted row here."""

    def _construct_form(self, i: int, **kwargs: Any) -> Any:
        form = super()._construct_form(i, **kwargs)  # type: ignore[misc]
        form.stale_check_unchanged = False
        return form

    def clean(self) -> None:
        super().clean()
        lines: list[str] = []
        for form in self.forms:
            if (
                self.can_delete
                and self._should_delete_form(form)  # type: ignore[attr-defined]
                and isinstance(form, StaleEditFormMixin)
                and form.instance.pk is not None
            ):
                lines.extend(form.stale_edit_problems(deleting=True))
        if lines:
            raise ValidationError(lines)


_FORMS: dict[type[Any], type[Any]] = {}


def stale_edit_form(form: type[Any]) -> type[Any]:
    """``form`` with ``StaleEditFormMixin`` (the same class when it has it already)."""
    if issubclass(form, StaleEditFormMixin):
        return form
    if form not in _FORMS:
        metaclass: Any = type(form)
        _FORMS[form] = metaclass(
            form.__name__, (StaleEditFormMixin, form), {"__module__": form.__module__}
        )
    return _FORMS[form]


def stale_edit_formset(formset: type[Any]) -> type[Any]:
    """``formset`` with ``StaleEditFormSetMixin`` (the same class when it has it already)."""
    if issubclass(formset, StaleEditFormSetMixin):
        return formset
    if formset not in _FORMS:
        _FORMS[formset] = type(
            formset.__name__, (StaleEditFormSetMixin, formset), {"__module__": formset.__module__}
        )
    return _FORMS[formset]


def _with_edit_base(fieldsets: Any) -> Any:
    """The fieldsets with the hidden ``edit_base`` in the first one (rendered as a hidden row)."""
    fieldsets = list(fieldsets)
    if not fieldsets or EDIT_BASE in flatten_fieldsets(fieldsets):
        return fieldsets
    name, options = fieldsets[0]
    fieldsets[0] = (name, {**options, "fields": [*options.get("fields", ()), EDIT_BASE]})
    return fieldsets


class StaleEditAdminMixin:
    """A register's admin: stale change forms refused, the whole save one transaction."""

    delete_confirmation_template = "admin/stale_edit_delete_confirmation.html"

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        """A row changed after its confirmation page was opened is not deleted: the page is
        shown again, with the row as it is now."""
        posted = request.POST.get("edit_version") if request.method == "POST" else None
        if posted:
            obj = self.get_object(request, unquote(object_id))  # type: ignore[attr-defined]
            if obj is not None and str(getattr(obj, "version", posted)) != posted:
                messages.error(
                    request,
                    _(
                        "„%(object)s“ was changed by someone else after you opened this page, "
                        "so it was not deleted. Check it and confirm again if you still want "
                        "to delete it."
                    )
                    % {"object": obj},
                )
                return HttpResponseRedirect(request.get_full_path())
        return super().delete_view(request, object_id, extra_context)  # type: ignore[misc,no-any-return]

    def get_form(self, request: HttpRequest, obj: Any | None = None, **kwargs: Any) -> Any:
        kwargs.setdefault("form", stale_edit_form(self.form))  # type: ignore[attr-defined]
        return super().get_form(request, obj, **kwargs)  # type: ignore[misc]

    def get_fieldsets(self, request: HttpRequest, obj: Any | None = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)  # type: ignore[misc]
        editable = (
            self.has_change_permission(request, obj)  # type: ignore[attr-defined]
            if obj is not None
            else self.has_add_permission(request)  # type: ignore[attr-defined]
        )
        return _with_edit_base(fieldsets) if editable else fieldsets

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)  # type: ignore[misc,no-any-return]
        except SmartplanError as refused:
            # A save lost a race after its forms were checked (a stale version, a value added
            # meanwhile): the transaction is rolled back. Checking the forms again shows what
            # changed meanwhile on the form, with the user's input kept.
            if request.method != "POST" or getattr(request, "_stale_edit_again", False):
                messages.error(request, str(refused))
                return HttpResponseRedirect(request.get_full_path())
            request._stale_edit_again = True  # type: ignore[attr-defined]
            return self.changeform_view(request, object_id, form_url, extra_context)

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        """Rows edited in the list (``list_editable``) are read when the list is posted and
        write only the listed fields; a row saved by someone else in between is refused by
        its version, the whole list's save rolled back, and the list shown again."""
        try:
            return super().changelist_view(request, extra_context)  # type: ignore[misc,no-any-return]
        except StaleEditError:
            messages.error(
                request,
                _(
                    "A row of the list was changed by someone else while you were editing the "
                    "list; nothing was saved. The list now shows their change: make yours again."
                ),
            )
            return HttpResponseRedirect(request.get_full_path())


class StaleEditInlineMixin:
    """An inline's rows (nested ones too) carry their start and are checked on save."""

    def get_formset(self, request: HttpRequest, obj: Any | None = None, **kwargs: Any) -> Any:
        kwargs.setdefault("form", stale_edit_form(self.form))  # type: ignore[attr-defined]
        kwargs.setdefault("formset", stale_edit_formset(self.formset))  # type: ignore[attr-defined]
        return super().get_formset(request, obj, **kwargs)  # type: ignore[misc]

    def get_fieldsets(self, request: HttpRequest, obj: Any | None = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)  # type: ignore[misc]
        if not (
            self.has_change_permission(request, obj)  # type: ignore[attr-defined]
            or self.has_add_permission(request, obj)  # type: ignore[attr-defined]
        ):
            return fieldsets
        return _with_edit_base(fieldsets)
