"""The follow-up of open invoices: policies, planning, and delivery of reminders."""
