"""The precision corpus: small realistic repositories with every planted violation listed."""
