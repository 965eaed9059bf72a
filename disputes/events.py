"""The events disputes announce (``core.events.publish``), for listeners above them."""

#: A CIO, hub or LRC raised a dispute with the other party.
DISPUTE_RAISED = "dispute_raised"
#: The Peer Review Body recorded its binding decision.
DISPUTE_DECIDED = "dispute_decided"
