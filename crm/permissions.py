"""The CRM permissions every surface checks (pages, API, admin, panels, timeline), named once."""

VIEW_LEAD = "crm.view_lead"
ADD_LEAD = "crm.add_lead"
CHANGE_LEAD = "crm.change_lead"
# Turn a lead into a customer (or link it to one who exists).
CONVERT_LEAD = "crm.convert_lead"
# Give a lead to another owner, or mark it lost: a Manager's call.
REASSIGN_LEAD = "crm.reassign_lead"
MARK_LEAD_LOST = "crm.mark_lead_lost"
VIEW_ACTIVITY = "crm.view_activity"
ADD_ACTIVITY = "crm.add_activity"
# Mark a task done.
CHANGE_ACTIVITY = "crm.change_activity"
