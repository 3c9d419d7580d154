"""forcepack serve: the Force Performance Meeting's live, read-only view of the warehouse.

A thin shell over the library: pages read the stored measure results (``measure_results``),
judge them with ``forcepack.stats`` and draw them with ``forcepack.report.charts``; the
OFFICIAL-SENSITIVE lists come from ``forcepack.harm.lists`` and ``forcepack.compliance``, each
restricted by :func:`forcepack.dashboard.scope.grant` to the user's own scope. Users live in a
file beside the warehouse (:mod:`forcepack.dashboard.users`) and every view, download and
denial of personal data is appended to the dashboard's access log beside it
(:mod:`forcepack.dashboard.audit`), so the server never writes to the warehouse.
"""

from forcepack.dashboard.users import Role, User

__all__ = ["Role", "User"]
