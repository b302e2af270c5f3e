"""The stores permissions pages and API check, named once."""

VIEW_STORE = "stores.view_store"
ADD_STORE = "stores.add_store"
CHANGE_STORE = "stores.change_store"
VIEW_TILL = "stores.view_till"
ADD_TILL = "stores.add_till"
# Pairing a device with a till, renaming or retiring a till.
CHANGE_TILL = "stores.change_till"
