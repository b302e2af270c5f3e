"""The loyalty permissions every surface checks (panel, adjustment, API), named once."""

VIEW_LEDGER = "loyalty.view_loyaltytransaction"
ADJUST_POINTS = "loyalty.adjust_points"
CHANGE_TIERS = "loyalty.change_loyaltytier"
SET_TIER = "loyalty.set_tier"
VIEW_LIABILITY = "loyalty.view_points_liability"
