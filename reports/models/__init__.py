"""Models of the reports app, one module per area; each area adds its import line here."""
from reports.models.annual import AnnualReport  # noqa: F401
from reports.models.summary import AnnualSummaryText, LeadSummary  # noqa: F401
