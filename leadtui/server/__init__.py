"""The reference team server (`leadtui serve`, extra `server`): FastAPI over one
leadtui database, with a bearer token per rep."""
