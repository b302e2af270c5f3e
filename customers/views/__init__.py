"""The customers' staff pages, one module per seam.

``profile``: the list, a customer's page, the form, deactivate and restore;
``timeline``: the timeline page and panel; ``data_tools``: the Managers' import,
export, duplicates, merge and anonymise.
"""
