"""Staff pages: the chain's stores and tills, and pairing a device with its till."""

from django.contrib import messages
from django.shortcuts import redirect
from django.views.generic import FormView, TemplateView

from classicpos.views import StaffPageMixin
from stores import devices
from stores.forms import PairTillForm
from stores.permissions import CHANGE_TILL, VIEW_STORE
from stores.selectors import store_list, till_list


class StoreListView(StaffPageMixin, TemplateView):
    """Every store with its tills and who may sell there."""

    permission_required = VIEW_STORE
    template_name = "stores/store_list.html"

    def get_context_data(self, **kwargs):
        stores = list(store_list().prefetch_related("staff"))
        tills = list(till_list())
        for store in stores:
            store.till_rows = [till for till in tills if till.store_id == store.pk]
        return super().get_context_data(
            stores=stores,
            device_till=devices.device_till(self.request),
            may_pair=self.request.user.has_perm(CHANGE_TILL),
            **kwargs,
        )


class PairTillView(StaffPageMixin, FormView):
    """A Manager makes this browser a till: the choice stays in a signed cookie until a
    Manager changes it, so a Cashier cannot move the device to another store."""

    permission_required = CHANGE_TILL
    template_name = "stores/pair_till.html"
    form_class = PairTillForm

    def get_initial(self):
        till = devices.device_till(self.request)
        return {"till": till.pk} if till else {}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            device_till=devices.device_till(self.request),
            paired=devices.paired_till_id(self.request) is not None,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if "unpair" in request.POST:
            response = redirect("stores:pair_till")
            devices.unpair(response)
            messages.success(request, "This device is no longer paired with a till.")
            return response
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        till = form.cleaned_data["till"]
        response = redirect("sales:checkout")
        devices.pair(response, till, secure=self.request.is_secure())
        messages.success(self.request, f"This device is now {till.name} at {till.store.name}.")
        return response
