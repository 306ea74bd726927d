"""The limits of what a vacancy, a lease or a claim takes, one home for the form, the file
import and the API (the models' validators read them too): far above anything real, low enough
to catch a typing error."""

MAX_MONTHLY_RENT = 100_000
"""The highest rent a vacancy, a stock file or the API takes (kr a month)."""
MAX_REMARKS = 2000
"""The longest remarks on a vacancy (characters)."""
MAX_REASON = 1000
"""The longest reason for handing a dwelling back or for a lease cancelled before move-in
(characters); the organisation reads it."""
MAX_NOTE = 2000
"""The longest closing note of an offer: a rejection's documentation, a decline's or a
withdrawal's note (characters)."""
MAX_CLAIM_AMOUNT = 10_000_000
"""The highest guarantee claim (kr); it also fits every database's integer."""
MAX_CLAIM_DESCRIPTION = 5000
"""The longest description of a guarantee claim (characters)."""
REPORT_HORIZON_DAYS = 366
"""A vacancy is reported within a year of its notice and availability, and a lease starts
within a year of its registration (a date further off is a typing error, and would bill the
municipality void rent until then)."""
