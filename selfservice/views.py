"""The customer's own page (opened by a signed link, no password), the public form that
emails a link, and the staff buttons that send or revoke links.

The public views are thin over ``selfservice.services``: whatever is wrong with a link,
the answer is the same 404 page, and the form's answer is the same for every address.
The customer's page is never cached, never indexed and sends its address (the
credential) in no ``Referer``: ``strict-origin`` gives the origin alone, even to the
page's own styles and scripts. Not ``no-referrer``: with no referrer at all a browser
posts the consent form with ``Origin: null``, which Django's CSRF check refuses.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.views import View

from classicpos.client_ip import client_ip
from classicpos.views import StaffPageMixin
from customers.data_export import customer_data_download, download_response
from customers.extensions import self_service_sections
from customers.models import Channel, Customer
from messaging.masking import mask_email
from selfservice import services
from selfservice.forms import ConsentForm, LinkRequestForm
from selfservice.permissions import REVOKE_LINK, SEND_LINK

SAME_ANSWER = "If we know this address, we have sent a link to it. It works for {days} days."
TOO_MANY = "Too many requests from here or for this address: try again in an hour."


def _private(response):
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "strict-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _not_usable(request):
    return _private(TemplateResponse(request, "selfservice/invalid.html", status=404))


def _site_url(request) -> str:
    return request.build_absolute_uri("/")


class LinkRequestView(View):
    """``/my/``: a customer asks for a link to their page by typing their email address."""

    template_name = "selfservice/request.html"

    def get(self, request):
        return self._page(request, LinkRequestForm())

    def post(self, request):
        form = LinkRequestForm(request.POST)
        if not form.is_valid():
            return self._page(request, form, status=400)
        try:
            services.link_request(
                email=form.cleaned_data["email"],
                client=client_ip(request),
                site_url=_site_url(request),
            )
        except services.TooManyRequests:
            return self._page(request, form, status=429, refused=TOO_MANY)
        return self._page(request, LinkRequestForm(), answer=True)

    def _page(self, request, form, *, status=200, refused="", answer=False):
        context = {
            "form": form,
            "refused": refused,
            "answer": SAME_ANSWER.format(days=settings.CLASSICPOS_SELF_SERVICE_LINK_DAYS)
            if answer
            else "",
        }
        return _private(TemplateResponse(request, self.template_name, context, status=status))


class SelfServicePageView(View):
    """``/my/<token>/``: the customer's points, credit, cards, invoices, consents and data."""

    def get(self, request, token: str):
        link = services.link_open(token)
        if link is None:
            return _not_usable(request)
        services.page_viewed(link=link)
        customer = link.customer
        sections = [
            (
                section,
                render_to_string(
                    section.template_name,
                    {"customer": customer, **section.context(customer=customer)},
                    request=request,
                ),
            )
            for section in self_service_sections()
        ]
        consents = [
            {"name": name, "label": label, "given": bool(getattr(customer, name))}
            for name, label in services.CONSENTS.items()
        ]
        context = {
            "link": link,
            "token": token,
            "customer": customer,
            "sections": sections,
            "consents": consents,
        }
        return _private(TemplateResponse(request, "selfservice/page.html", context))


class ConsentView(View):
    """``POST /my/<token>/consents/``: the customer gives or withdraws a consent."""

    def post(self, request, token: str):
        link = services.link_open(token)
        if link is None:
            return _not_usable(request)
        form = ConsentForm(request.POST)
        if not form.is_valid():
            messages.error(request, "That choice is not on this page: nothing was changed.")
            return redirect("selfservice:page", token=token)
        given = form.cleaned_data["given"]
        try:
            services.consent_set(link=link, consent=form.cleaned_data["consent"], given=given)
        except ValidationError:
            messages.error(request, "Your choice could not be saved: please ask the shop.")
        else:
            label = services.CONSENTS[form.cleaned_data["consent"]]
            messages.success(request, f"Saved. {label}: {'yes' if given else 'no'}.")
        return redirect("selfservice:page", token=token)


class DataDownloadView(View):
    """``/my/<token>/data/``: "Download my data" (JSON, or a ZIP of CSVs with ?format=zip)."""

    def get(self, request, token: str):
        link = services.link_open(token)
        if link is None:
            return _not_usable(request)
        export = customer_data_download(
            customer=link.customer, actor=None, channel=Channel.CUSTOMER
        )
        response = download_response(
            link.customer, export, as_zip=request.GET.get("format") == "zip"
        )
        return _private(response)


class SendLinkView(StaffPageMixin, View):
    """``POST``: staff email the customer a link to their page."""

    permission_required = SEND_LINK

    def post(self, request, pk: int):
        customer = get_object_or_404(Customer.objects.all(), pk=pk)
        try:
            sent = services.link_send(
                customer=customer,
                actor=request.user,
                channel=Channel.PAGE,
                site_url=_site_url(request),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.message_dict.get("email", error.messages)))
        else:
            messages.success(
                request, f"Self-service link queued for {mask_email(sent.message.to)}."
            )
        return redirect(customer)


class RevokeLinksView(StaffPageMixin, View):
    """``POST``: staff revoke every link to the customer's page that still works."""

    permission_required = REVOKE_LINK

    def post(self, request, pk: int):
        customer = get_object_or_404(Customer.objects.all(), pk=pk)
        revoked = services.links_revoke(customer=customer, actor=request.user, channel=Channel.PAGE)
        if revoked:
            messages.success(
                request, f"{revoked} self-service link{'s' if revoked != 1 else ''} revoked."
            )
        else:
            messages.info(request, "No self-service link was working: nothing to revoke.")
        return redirect(customer)
