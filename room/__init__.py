"""The instructor's view of the room: anonymous progress and failure events, and the page that counts them."""
