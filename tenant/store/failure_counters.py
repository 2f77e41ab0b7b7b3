"""The failed-login counters' statements, built once with bound parameters: every login runs several of them."""

from sqlalchemy import Delete, Select, Update, bindparam, case, delete, func, select, update

from storage import PreparedUpsert
from tenant.store.tables import failed_logins

# Parameters: row_email and row_address name the counter; since is the oldest last_at still counted; now is now.
ROW = (failed_logins.c.email == bindparam("row_email")) & (failed_logins.c.address == bindparam("row_address"))
COUNT: Select = select(failed_logins.c.count).where(ROW)
RECENT_COUNT: Select = COUNT.where(failed_logins.c.last_at > bindparam("since"))
# The same counter name in several rows (row_emails, expanding), summed.
RECENT_TOTAL: Select = select(func.sum(failed_logins.c.count)).where(
    failed_logins.c.email.in_(bindparam("row_emails", expanding=True)),
    failed_logins.c.address == bindparam("row_address"), failed_logins.c.last_at > bindparam("since"))
WITHDRAW: Update = update(failed_logins).where(ROW, failed_logins.c.count > 0).values(count=failed_logins.c.count - 1)
CLEAR: Delete = delete(failed_logins).where(ROW)
# A new counter at 1, or one more on a counter still recent (else back to 1).
COUNT_ONE_MORE = PreparedUpsert(
    failed_logins, {"email": bindparam("row_email"), "address": bindparam("row_address"), "count": 1,
                    "last_at": bindparam("now")}, ["email", "address"],
    lambda new: {"count": case((failed_logins.c.last_at > bindparam("since"), failed_logins.c.count + 1), else_=1),
                 "last_at": new.last_at})
