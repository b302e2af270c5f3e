"""Customer page forms: they collect input; the services validate and save it."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.choices import CallableChoiceIterator

from classicpos.limits import MAX_ID, MAX_POINTS
from customers.alerts import ALERT_HEADINGS, customer_alert, louder_note
from customers.home_stores import several_stores
from customers.import_readers import MAX_FILE_MB, too_big
from customers.import_uploads import KEPT_FILE_GONE, TOKEN_PATTERN
from customers.models import (
    CONTACT_FIELDS,
    EDITABLE_FIELDS,
    MERGEABLE_FIELDS,
    Customer,
    NoteAlert,
    Tag,
)
from customers.segments import segments
from customers.selectors import (
    DEFAULT_ORDERING,
    ORDERING_CHOICES,
    PAGE_DEFAULT_STATUS,
    ListStatus,
)
from customers.validators import (
    ADDRESS_MAX_LENGTH,
    MAX_TAGS,
    NAME_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    TAG_MAX_LENGTH,
)

PAGE_SIZES = (10, 25, 50, 100)
DEFAULT_PAGE_SIZE = 25


class CustomerForm(forms.ModelForm):
    """Add and edit share this form, built from ``EDITABLE_FIELDS``; the till's quick-add
    asks for the contact fields only (``QuickAddCustomerForm``).

    It only collects text: the customer service checks every rule at once (so
    the model validation a ModelForm would run is skipped here), and the page
    shows the same messages as the API and the admin. Each input carries
    ``data-field`` with the API's name, so the till maps API errors onto it.
    """

    # The fields the "possible duplicates" panel watches while the cashier types.
    DUPLICATE_FIELDS = ("name", "email", "phone")

    # Text in, so the service's messages are the ones shown (a date input sends YYYY-MM-DD).
    birthday = forms.CharField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}),
        help_text="Optional: for birthday greetings and the list's birthday filter.",
    )
    tags = forms.CharField(
        required=False,
        max_length=(TAG_MAX_LENGTH + 2) * MAX_TAGS,
        help_text="Separate tags with commas, e.g. VIP, wholesale. A new name creates the tag.",
    )

    class Meta:
        model = Customer
        fields = EDITABLE_FIELDS
        widgets = {
            "name": forms.TextInput(
                attrs={
                    "autocomplete": "name",
                    "autofocus": True,
                    "required": True,
                    "aria-required": "true",
                    "maxlength": NAME_MAX_LENGTH,
                }
            ),
            "email": forms.EmailInput(attrs={"autocomplete": "email", "inputmode": "email"}),
            "phone": forms.TextInput(
                attrs={"autocomplete": "tel", "inputmode": "tel", "type": "tel"}
            ),
            "address": forms.Textarea(
                attrs={"rows": 3, "autocomplete": "street-address", "maxlength": ADDRESS_MAX_LENGTH}
            ),
            "note": forms.Textarea(attrs={"rows": 3, "maxlength": NOTE_MAX_LENGTH}),
        }
        labels = {
            "home_store": "Home store",
            "email_consent": "Agrees to marketing emails",
            "sms_consent": "Agrees to marketing text messages",
            "note": "Pinned note",
            "note_alert": "Show the note at the till",
        }
        help_texts = {
            "name": "Required. Up to 200 characters.",
            "phone": "Any format: 555-201-0123, (415) 555 2671 or +44 20 7946 0958.",
            "home_store": "Where the customer shops: the store of the till they were added at.",
            "note_alert": "Warn shows it when the customer is picked; Block stops sales to them "
            "until a Manager allows one (only a Manager sets or lifts a block).",
        }

    def __init__(self, *args, can_tag: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_tag:
            # Only a Manager puts tags on customers; the page shows them read-only.
            del self.fields["tags"]
        if "home_store" in self.fields:
            if several_stores():
                self.fields["home_store"].empty_label = "No home store"
            else:
                # A one-store shop's customers all belong to it: nothing to choose.
                del self.fields["home_store"]
        if "note_alert" in self.fields:
            self.fields["note_alert"].choices = [("", "No: on this page only"), *NoteAlert.choices]
        if "preferred_contact" in self.fields:
            # Left out, it means "no preference" (the service's default).
            self.fields["preferred_contact"].required = False
        for name, field in self.fields.items():
            field.strip = False
            field.widget.attrs["data-field"] = name
        if self.prefix:
            # Embedded in another page (the till's modal): that page decides the focus.
            self.fields["name"].widget.attrs.pop("autofocus", None)

    def clean_tags(self) -> list[str]:
        """Return the typed tag names as a list; the service trims and checks them."""
        return [name for name in self.cleaned_data["tags"].split(",") if name.strip()]

    def _post_clean(self):
        """Skip the model's validation: ``customer_create``/``customer_update`` run it once."""

    def focus_first_error(self) -> None:
        """Move the page's focus from Name to the first field in error, if any."""
        in_error = [name for name in self.fields if name in self.errors]
        if not in_error:
            return
        for field in self.fields.values():
            field.widget.attrs.pop("autofocus", None)
        self.fields[in_error[0]].widget.attrs["autofocus"] = True


class QuickAddCustomerForm(CustomerForm):
    """The till's "New customer": the contact fields only, so a sale is not held up."""

    class Meta(CustomerForm.Meta):
        fields = CONTACT_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, can_tag=False, **kwargs)
        for name in ("birthday", "tags"):
            self.fields.pop(name, None)


class DuplicateConfirmationForm(forms.Form):
    """The "Save anyway" step: which possible duplicates the user has seen and accepted.

    The ids travel with the form, so a confirmation covers exactly the customers
    shown; a different phone that matches someone else is asked about again.
    """

    confirmed_duplicates = forms.RegexField(
        regex=r"^[0-9]+(,[0-9]+)*$", required=False, widget=forms.HiddenInput
    )

    def confirmed_ids(self) -> set[int]:
        """Return the ids accepted on the previous step; nothing when tampered with."""
        if not self.is_valid() or not self.cleaned_data["confirmed_duplicates"]:
            return set()
        return {int(part) for part in self.cleaned_data["confirmed_duplicates"].split(",")}

    def confirms(self, duplicates) -> bool:
        """Return whether every one of ``duplicates`` was shown and accepted."""
        return {item.customer.pk for item in duplicates} <= self.confirmed_ids()


class DuplicateQueryForm(forms.Form):
    """What the "possible duplicates" panel asks about while the cashier types."""

    name = forms.CharField(required=False, strip=False)
    email = forms.CharField(required=False, strip=False)
    phone = forms.CharField(required=False, strip=False)
    # The customer being edited, who is no duplicate of themselves.
    exclude = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)

    def values(self) -> dict:
        """Return the fields that parsed; one that did not (``exclude=²``) counts as not given."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}


class DistinctCustomersForm(forms.Form):
    """ "Not the same person": the other customer of a pair the Duplicates page showed."""

    other = forms.IntegerField(min_value=1, max_value=MAX_ID)


# What a filter left empty looks like, whatever its field.
EMPTY = (None, "", [], ())
# The tag filter offers the tags there are; a shop with more types the name in the URL.
MAX_TAG_CHOICES = 200


def _tag_choices() -> list[tuple[str, str]]:
    names = Tag.objects.values_list("name", flat=True)[:MAX_TAG_CHOICES]
    return [(name, name) for name in names]


class CustomerListForm(forms.Form):
    """The list's search, filter, sort and page size, read from the query string."""

    search = forms.CharField(required=False, label="Search")
    status = forms.ChoiceField(
        required=False,
        choices=ListStatus.choices,
        label="Status",
    )
    ordering = forms.ChoiceField(required=False, choices=[(key, key) for key in ORDERING_CHOICES])
    page_size = forms.TypedChoiceField(
        required=False,
        coerce=int,
        choices=[(size, size) for size in PAGE_SIZES],
        label="Per page",
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Named as the API names it, so a segment's URL reads the same in both.
        self.fields["minPoints"] = forms.IntegerField(
            required=False,
            min_value=-MAX_POINTS,
            max_value=MAX_POINTS,
            label="Points at least",
            widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        )
        # Each module's segments (tags, spend, last visit, overdue invoices...), in the URL.
        self.segment_names = []
        for segment in segments():
            if segment.permission and (user is None or not user.has_perm(segment.permission)):
                continue
            field = segment.field()
            field.label, field.help_text = segment.label, segment.help_text
            self.fields[segment.name] = field
            self.segment_names.append(segment.name)
        if "tag" in self.fields:
            # Asked only when the filter is drawn: the htmx results alone cost no query.
            self.fields["tag"].widget.choices = CallableChoiceIterator(_tag_choices)

    def values(self) -> dict:
        """Return cleaned values with defaults; a bad value is left out (and shown as an error)."""
        self.is_valid()
        data = self.cleaned_data
        return {
            "search": (data.get("search") or "").strip(),
            "status": data.get("status") or PAGE_DEFAULT_STATUS,
            "ordering": data.get("ordering") or DEFAULT_ORDERING,
            "page_size": data.get("page_size") or DEFAULT_PAGE_SIZE,
            "min_points": data.get("minPoints"),
            "segments": tuple(
                (name, data[name]) for name in self.segment_names if data.get(name) not in EMPTY
            ),
        }

    def _offered(self, name: str) -> bool:
        """Return whether the page draws segment ``name``; each ``offered`` is asked once."""
        offered = next(segment.offered for segment in segments() if segment.name == name)
        if offered is None:
            return True
        answers = self.__dict__.setdefault("_offered_answers", {})
        if offered not in answers:
            answers[offered] = offered()
        return answers[offered]

    def segment_fields(self) -> list:
        """Return the filters under "More filters", their widgets dressed for the page.

        Each keeps its own widget's attributes (a date picker, ``inputmode="decimal"``
        for an amount); the page adds Bootstrap's classes, the error state and the
        link to the help text.
        """
        names = ("minPoints", *(name for name in self.segment_names if self._offered(name)))
        for name in names:
            field = self.fields[name]
            attrs = field.widget.attrs
            base = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            attrs["class"] = f"{base} list-filter" + (" is-invalid" if name in self.errors else "")
            if field.help_text:
                attrs["aria-describedby"] = f"id_{name}-help"
        return [self[name] for name in names]


ENCODINGS = (
    ("auto", "Detect it (UTF-8, UTF-16 or Windows Western)"),
    ("utf-8", 'UTF-8 (most files, Excel\'s "CSV UTF-8")'),
    ("cp1252", "Windows Western (older Excel)"),
    ("latin-1", "ISO-8859-1"),
    ("utf-16", "UTF-16"),
)


class CustomerImportForm(forms.Form):
    """The upload page: the file and how to read it; ``customers.importing`` does the rest.

    After a check the page carries the checked file's token (``upload``) instead of
    the file, which the browser cannot fill in again; a file picked anew wins.
    """

    file = forms.FileField(
        required=False,
        label="CSV or Excel file",
        help_text=(
            "A header row, then one customer per row: name, email, phone, address, "
            "loyaltyPoints, status. Other columns are ignored unless mapped below. "
            f"Comma, semicolon or tab separated, or an .xlsx workbook; up to {MAX_FILE_MB} MB."
        ),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".csv,.tsv,.txt,.xlsx,text/csv,text/tab-separated-values"}
        ),
    )
    encoding = forms.ChoiceField(choices=ENCODINGS, initial="auto", label="Encoding")
    columns = forms.CharField(
        required=False,
        label="Other column names",
        help_text='Map your headers onto the columns, e.g. "Mobile=phone, Client=name".',
    )
    skip_existing = forms.BooleanField(
        required=False,
        label="Leave customers who already exist as they are",
        help_text="Rows matching a customer by email or phone are then skipped, not updated.",
    )
    upload = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload and (message := too_big(upload.size)):
            raise ValidationError(message)
        return upload

    def clean_upload(self):
        token = self.cleaned_data["upload"]
        if token and not TOKEN_PATTERN.fullmatch(token):
            raise ValidationError(KEPT_FILE_GONE)
        return token

    def clean(self):
        cleaned = super().clean()
        if "upload" in self.errors:
            self.add_error("file", self.errors.pop("upload"))
        elif not cleaned.get("file") and not cleaned.get("upload") and "file" not in self.errors:
            self.add_error("file", "Choose a CSV or Excel file.")
        return cleaned


class CustomerMergeForm(forms.Form):
    """Choose who survives and, for each field the two disagree on, whose value to keep.

    Choices name the customers (``first``/``second``, as the page shows them); the
    view turns them into the service's ``survivor``/``duplicate``.
    """

    survivor = forms.ChoiceField(widget=forms.RadioSelect, label="Keep this record")

    def __init__(self, *args, first: Customer, second: Customer, **kwargs):
        super().__init__(*args, **kwargs)
        self.first, self.second = first, second
        self.fields["survivor"].choices = [
            ("first", f"#{first.pk} {first.name}"),
            ("second", f"#{second.pk} {second.name}"),
        ]
        self.fields["survivor"].initial = "first"
        self.differing = []
        for name in MERGEABLE_FIELDS:
            ours, theirs = self.display(first, name), self.display(second, name)
            if ours == theirs:
                continue
            self.differing.append(name)
            self.fields[name] = forms.ChoiceField(
                widget=forms.RadioSelect,
                label=Customer._meta.get_field(name).verbose_name.capitalize(),
                choices=[("first", ours or "(none)"), ("second", theirs or "(none)")],
                initial="first" if ours else "second",
            )
        if "note" in self.fields and louder_note(first, second):
            # As the service does: the note with the louder alert (a block) is kept unless told.
            self.fields["note"].initial = "second"

    @staticmethod
    def display(customer: Customer, name: str) -> str:
        if name == "phone":
            return customer.phone_display
        if name == "preferred_contact":
            return customer.get_preferred_contact_display()
        if name == "note" and (alert := customer_alert(customer)):
            # The alert goes with its note, so the choice shows it.
            return f"{ALERT_HEADINGS[alert['level']]}. {alert['text']}"
        value = getattr(customer, name)
        if isinstance(value, bool):
            return "Yes" if value else "No"
        return "" if value is None else str(value)

    def merge_arguments(self) -> dict:
        """Return the service's ``survivor``, ``duplicate`` and ``fields`` from the choices."""
        keep_first = self.cleaned_data["survivor"] == "first"
        survivor, duplicate = (self.first, self.second) if keep_first else (self.second, self.first)
        survivor_side = "first" if keep_first else "second"
        fields = {
            name: "survivor" if self.cleaned_data[name] == survivor_side else "duplicate"
            for name in self.differing
        }
        return {"survivor": survivor, "duplicate": duplicate, "fields": fields}


class CustomerAnonymiseForm(forms.Form):
    """The typed confirmation: the customer's name, exactly."""

    confirm = forms.CharField(
        required=False,
        strip=False,
        label="Type the customer's name to confirm",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
