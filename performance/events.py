"""The events the return workflow announces (``core.events.publish``), for listeners above it.

Each is published inside the service's transaction, after the change is made, with the object it is about
and who did it (None: the system or an operator at the command line).
"""

#: A period was opened (created, or moved from planned to open); ``returns``: the draft returns created.
PERIOD_OPENED = "period_opened"
#: A provider submitted its return; ``resubmitted``: it had been sent back (or reopened) before.
RETURN_SUBMITTED = "return_submitted"
#: A reviewer accepted a submitted return.
RETURN_ACCEPTED = "return_accepted"
#: A reviewer sent a return back to its provider; ``comment``: what to change.
RETURN_SENT_BACK = "return_sent_back"
#: LCC signed an accepted return off.
RETURN_SIGNED_OFF = "return_signed_off"
#: LCC reopened a return to draft; ``reason``: why.
RETURN_REOPENED = "return_reopened"
#: LCC published a financial year's framework (its indicator set and targets); later changes are listed.
FRAMEWORK_PUBLISHED = "framework_published"
