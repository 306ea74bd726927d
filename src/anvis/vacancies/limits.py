"""The limits of what a vacancy, a lease or a claim takes, one home for the form, the file
import and the API (the models' validators read them too): far above anything real, low enough
to catch a typing error."""

MAX_MONTHLY_RENT = 100_000
"""The highest rent a vacancy, a stock file or the API takes (kr a month)."""
MAX_REMARKS = 2000
"""The longest remarks on a vacancy (characters)."""
MAX_REASON = 2000
"""The longest written reason or note: a hand-back's reason, an offer's closing note (a
rejection's documentation, a decline, a withdrawal) (characters)."""
MAX_CLAIM_DESCRIPTION = 5000
"""The longest description of a guarantee claim (characters)."""
MAX_CLAIM_AMOUNT = 10_000_000
"""The highest guarantee claim (kr); it also fits every database's integer."""
REPORT_HORIZON_DAYS = 366
"""A vacancy is reported within a year of its notice and availability, and a lease starts
within a year of its registration (a date further off is a typing error, and would bill the
municipality void rent until then)."""
