"""The gift card permissions every surface checks (pages, API, panels, timeline), named once."""

VIEW_GIFT_CARD = "giftcards.view_giftcard"
# Outside a sale (a goodwill card): a Manager's call. Selling one at the till needs only
# the right to sell.
ISSUE_GIFT_CARD = "giftcards.issue_giftcard"
VOID_GIFT_CARD = "giftcards.void_giftcard"
ADJUST_GIFT_CARD = "giftcards.add_giftcardentry"
VIEW_LIABILITY = "giftcards.view_giftcard_liability"
CHANGE_PROGRAM = "giftcards.change_giftcardprogram"
