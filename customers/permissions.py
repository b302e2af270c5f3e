"""The customer permissions every surface checks (pages, API, admin), named once."""

VIEW_CUSTOMER = "customers.view_customer"
ADD_CUSTOMER = "customers.add_customer"
CHANGE_CUSTOMER = "customers.change_customer"
# Deactivate and restore: a Manager's decision (soft delete keeps the row).
DEACTIVATE_CUSTOMER = "customers.deactivate_customer"
# Block sales to a customer (their note's alert), lift the block, or allow one sale despite
# it at the till: the same Manager's decision as taking a customer off the till altogether.
BLOCK_CUSTOMER = DEACTIVATE_CUSTOMER
# The data tools: a whole customer base in or out, and changes that cannot be undone.
IMPORT_CUSTOMER = "customers.import_customer"
EXPORT_CUSTOMER = "customers.export_customer"
MERGE_CUSTOMER = "customers.merge_customer"
ANONYMISE_CUSTOMER = "customers.anonymise_customer"
# Put tags on customers (and create new tag names by typing them): a Manager's call.
TAG_CUSTOMER = "customers.tag_customer"
VIEW_CUSTOMER_EVENTS = "customers.view_customerevent"
