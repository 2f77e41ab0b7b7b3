"""The pages a browser sees: authorize, login, consent, activation, password reset."""
